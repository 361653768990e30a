using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClusterTemplate.Primary.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterTemplate.Tests.Telemetry;

/// <summary>How the primary's supervision spans are placed: events are roots with links, long spans leave the current span alone.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterTelemetryTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ClusterTelemetry _telemetry;
    private readonly ActivityListener _listener;
    private readonly ActivitySource _caller = new("ClusterTelemetryTests.Caller");

    public ClusterTelemetryTests()
    {
        _telemetry = new ClusterTelemetry(_services.GetRequiredService<IMeterFactory>());
        _listener = new ActivityListener
        {
            // Only this test's sources: other tests' spans must not be sampled because of it.
            ShouldListenTo = source => ReferenceEquals(source, _telemetry.ActivitySource) || ReferenceEquals(source, _caller),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task An_event_started_inside_another_span_is_the_root_of_its_own_trace_with_its_links()
    {
        using var earlier = _telemetry.StartWorkerActivity("worker.start", 1, 1, 100, parent: default);
        earlier!.Stop();
        using var request = _caller.StartActivity("request");

        var (started, current) = await StartEventAsync(earlier.Context);
        using var activity = started;

        Assert.NotNull(activity);
        Assert.Null(activity.Parent);
        Assert.Equal(default, activity.ParentSpanId);
        Assert.NotEqual(request!.TraceId, activity.TraceId);
        Assert.Equal([earlier.Context], activity.Links.Select(link => link.Context));
        Assert.Same(activity, current);
        Assert.Same(request, Activity.Current);
    }

    [Fact]
    public void A_detached_event_is_a_root_and_leaves_the_current_span_as_it_was()
    {
        using var request = _caller.StartActivity("request");

        using var restart = _telemetry.StartDetachedEvent("worker.restart", default(ActivityContext));

        Assert.Equal(default, restart!.ParentSpanId);
        Assert.Empty(restart.Links);
        Assert.Same(request, Activity.Current);
    }

    [Fact]
    public void A_detached_worker_span_is_a_child_of_the_current_span_that_stays_current()
    {
        using var replace = _caller.StartActivity("worker.replace");

        using var start = _telemetry.StartDetachedWorkerActivity("worker.start", workerId: 2, generation: 3, parent: default);
        using var drain = _telemetry.StartWorkerActivity("worker.drain", 2, 2, 200);

        Assert.Equal(replace!.SpanId, start!.ParentSpanId);
        Assert.Equal(replace.SpanId, drain!.ParentSpanId);
        Assert.Equal([("cluster.worker.id", (object?)2), ("cluster.worker.generation", 3)], start.TagObjects.Select(tag => (tag.Key, tag.Value)));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _caller.Dispose();
        _telemetry.Dispose();
        _services.Dispose();
    }

    // The way the operations use it: in an async method of their own, whose changes to Activity.Current end with it.
    private async Task<(Activity? Activity, Activity? Current)> StartEventAsync(ActivityContext link)
    {
        await Task.Yield();
        var activity = _telemetry.StartEvent("cluster.restart_worker", link, default);
        return (activity, Activity.Current);
    }
}
