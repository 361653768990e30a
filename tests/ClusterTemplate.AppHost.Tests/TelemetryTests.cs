using System.Globalization;
using ClusterTemplate.AppHost.Tests.Infrastructure;

namespace ClusterTemplate.AppHost.Tests;

/// <summary>
/// The primary's supervision and the workers' requests reach an OTLP endpoint, each worker told apart, and the
/// supervision traces read the way they happened: one trace per event, linked to the worker's earlier spans.
/// </summary>
public sealed class TelemetryTests
{
    private const int Workers = 2;

    /// <summary>The primary's ActivitySource (and Meter).</summary>
    private const string PrimarySource = "ClusterTemplate.Primary";

    /// <summary>What starting the workers and the restart command below must produce, by exact name.</summary>
    private static readonly string[] s_supervisionSpans = ["worker.start", "cluster.restart_worker", "worker.replace", "worker.drain"];

    [Fact]
    public async Task Supervision_and_worker_request_spans_are_exported_over_otlp()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var cluster = await StartTracedAsync(receiver);
        using var budget = new CancellationTokenSource(TestBudgets.Telemetry);

        // Requests that every worker serves, and a restart the primary supervises.
        Assert.Equal(Workers, (await cluster.DistinctPidsAsync(Workers, budget.Token)).Count);
        var restart = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.WorkerRow(1), "restart-worker", budget.Token);
        Assert.True(restart.Success, restart.Message);

        while (!HasAll(receiver.Spans) && !budget.IsCancellationRequested)
        {
            await Task.Delay(TestBudgets.PollInterval, CancellationToken.None);
        }

        var spans = receiver.Spans.ToArray();
        var summary = string.Join(", ", spans.Select(s => $"{s.Scope}/{s.Name}@{s.CompositeResourceName}").Distinct().Take(40));

        var workerSpans = spans.Where(s => s.Resource.ContainsKey("cluster.worker.id") && s.Scope == "Microsoft.AspNetCore").ToArray();
        Assert.True(workerSpans.Select(s => s.Resource["cluster.worker.id"]).Distinct().Count() == Workers, "request spans from every worker expected; got: " + summary);

        var supervision = spans.Where(s => s.Scope == PrimarySource).Select(s => s.Name).ToHashSet();
        Assert.True(supervision.IsSupersetOf(s_supervisionSpans), $"supervision spans {string.Join(", ", s_supervisionSpans)} from {PrimarySource} expected; got: {string.Join(", ", supervision)}");
        Assert.True(receiver.MetricsRequests > 0, "metrics expected over OTLP");
        Assert.True(receiver.LogsRequests > 0, "logs expected over OTLP");

        // Each worker's telemetry names its row ("service.name-service.instance.id" = row id), so the dashboard links the two.
        foreach (var span in workerSpans)
        {
            var row = ClusterAppHost.WorkerRow(int.Parse(span.Resource["cluster.worker.id"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(cluster.App.ResourceNotifications.TryGetCurrentState(row, out var state), "no row " + row);
            Assert.Equal(state.ResourceId, span.CompositeResourceName);
        }
    }

    [Fact]
    public async Task A_crash_restart_is_a_trace_of_its_own_linked_to_the_start_of_the_worker_that_crashed()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var cluster = await StartTracedAsync(receiver);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);
        var victim = ClusterAppHost.Pid(cluster.Row(1));

        System.Diagnostics.Process.GetProcessById(victim).Kill();
        await cluster.WaitForRowAsync(1, row => ClusterAppHost.IsServing(row) && ClusterAppHost.Pid(row) != victim, budget.Token);
        var restart = await WaitForSpanAsync(receiver, s => s.Name == "worker.restart" && IsWorker(s, 1, generation: 1), budget.Token);
        var crashedStart = await WaitForSpanAsync(receiver, s => s.Name == "worker.start" && IsWorker(s, 1, generation: 1), budget.Token);
        var replacementStart = await WaitForSpanAsync(receiver, s => s.Name == "worker.start" && IsWorker(s, 1, generation: 2), budget.Token);
        var exit = await WaitForSpanAsync(receiver, s => s.Name == "worker.exit" && IsWorker(s, 1, generation: 1), budget.Token);

        Assert.True(restart.IsRoot, $"worker.restart should start a trace of its own; its parent is {Describe(receiver, restart.ParentSpanId)}");
        Assert.True(restart.LinksTo(crashedStart), "worker.restart should link to the crashed worker's worker.start; links: " + string.Join(", ", restart.Links));
        Assert.NotEqual(crashedStart.TraceId, restart.TraceId);
        Assert.True(exit.IsChildOf(restart), "worker.exit should be a child of worker.restart");
        Assert.True(replacementStart.IsChildOf(restart), "the replacement's worker.start should be a child of worker.restart");
    }

    [Fact]
    public async Task In_a_rollout_trace_each_replacement_starts_and_drains_side_by_side_under_its_worker_replace()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var cluster = await StartTracedAsync(receiver);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var rollout = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.PrimaryName, "rolling-restart", budget.Token);
        Assert.True(rollout.Success, rollout.Message);

        var root = await WaitForSpanAsync(receiver, s => s.Name == "cluster.rollout", budget.Token);
        Assert.True(root.IsRoot, $"cluster.rollout should start a trace of its own; its parent is {Describe(receiver, root.ParentSpanId)}");
        for (var id = 1; id <= Workers; id++)
        {
            var workerId = id;
            var replace = await WaitForSpanAsync(receiver, s => s.Name == "worker.replace" && s.IsChildOf(root) && IsWorker(s, workerId), budget.Token);
            var start = await WaitForSpanAsync(receiver, s => s.Name == "worker.start" && s.TraceId == root.TraceId && IsWorker(s, workerId, generation: 2), budget.Token);
            var drain = await WaitForSpanAsync(receiver, s => s.Name == "worker.drain" && s.TraceId == root.TraceId && IsWorker(s, workerId, generation: 1), budget.Token);
            var earlierStart = await WaitForSpanAsync(receiver, s => s.Name == "worker.start" && IsWorker(s, workerId, generation: 1), budget.Token);

            Assert.True(start.IsChildOf(replace), $"worker {workerId}: worker.start should be a child of worker.replace; its parent is {Describe(receiver, start.ParentSpanId)}");
            Assert.True(drain.IsChildOf(replace), $"worker {workerId}: worker.drain should be a child of worker.replace, beside worker.start; its parent is {Describe(receiver, drain.ParentSpanId)}");
            Assert.True(replace.LinksTo(earlierStart), $"worker {workerId}: worker.replace should link to the replaced worker's worker.start");
        }
    }

    [Fact]
    public async Task A_scale_up_is_a_trace_of_its_own_that_ends_after_its_new_worker_is_ready()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var cluster = await StartTracedAsync(receiver);
        using var budget = new CancellationTokenSource(TestBudgets.Recovery);

        var up = await cluster.App.ResourceCommands.ExecuteCommandAsync(ClusterAppHost.PrimaryName, "scale-up", budget.Token);
        Assert.True(up.Success, up.Message);

        var scale = await WaitForSpanAsync(receiver, s => s.Name == "cluster.scale", budget.Token);
        var start = await WaitForSpanAsync(receiver, s => s.Name == "worker.start" && IsWorker(s, Workers + 1, generation: 1), budget.Token);
        Assert.True(scale.IsRoot, $"cluster.scale should start a trace of its own; its parent is {Describe(receiver, scale.ParentSpanId)}");
        Assert.True(start.IsChildOf(scale), $"the new worker's worker.start should be a child of cluster.scale; its parent is {Describe(receiver, start.ParentSpanId)}");
        Assert.True(start.EndTimeUnixNano <= scale.EndTimeUnixNano, "cluster.scale ended before its new worker was ready");
        Assert.Equal($"scaled from {Workers} to {Workers + 1} workers", scale.Attributes.GetValueOrDefault("cluster.operation.result"));
    }

    private static Task<ClusterAppHost> StartTracedAsync(OtlpReceiver receiver) =>
        ClusterAppHost.StartAsync(Workers, primary => primary
            .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint.ToString().TrimEnd('/'))
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200")
            .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "200"));

    /// <summary>Waits until the primary exported a span that matches.</summary>
    private static async Task<OtlpSpan> WaitForSpanAsync(OtlpReceiver receiver, Func<OtlpSpan, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (receiver.Spans.FirstOrDefault(s => s.Scope == PrimarySource && match(s)) is { } span)
            {
                return span;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                var seen = string.Join(", ", receiver.Spans.Where(s => s.Scope == PrimarySource).Select(s => $"{s.Name}({string.Join(" ", s.Attributes.Select(a => a.Key + "=" + a.Value))})"));
                throw new TimeoutException("No matching span from the primary; it exported: " + seen);
            }

            await Task.Delay(TestBudgets.PollInterval, CancellationToken.None);
        }
    }

    private static bool IsWorker(OtlpSpan span, int workerId, int? generation = null) =>
        span.Attributes.GetValueOrDefault("cluster.worker.id") == workerId.ToString(CultureInfo.InvariantCulture)
        && (generation is null || span.Attributes.GetValueOrDefault("cluster.worker.generation") == generation.Value.ToString(CultureInfo.InvariantCulture));

    private static string Describe(OtlpReceiver receiver, string spanId) =>
        spanId.Length == 0 ? "none" : receiver.Spans.FirstOrDefault(s => s.SpanId == spanId) is { } parent ? $"{parent.Name} ({parent.Scope})" : "span " + spanId;

    private static bool HasAll(IReadOnlyCollection<OtlpSpan> spans)
    {
        var snapshot = spans.ToArray();
        var workers = snapshot.Where(s => s.Resource.ContainsKey("cluster.worker.id") && s.Scope == "Microsoft.AspNetCore")
            .Select(s => s.Resource["cluster.worker.id"]).Distinct().Count();
        var supervision = snapshot.Where(s => s.Scope == PrimarySource).Select(s => s.Name).ToHashSet();
        return workers >= Workers && supervision.IsSupersetOf(s_supervisionSpans);
    }
}
