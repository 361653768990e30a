using ClusterTemplate.AppHost.Tests.Infrastructure;

namespace ClusterTemplate.AppHost.Tests;

/// <summary>The primary's supervision and the workers' requests reach an OTLP endpoint, each worker told apart.</summary>
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
        await using var cluster = await ClusterAppHost.StartAsync(Workers, primary => primary
            .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint.ToString().TrimEnd('/'))
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200")
            .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "200"));
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

    private static bool HasAll(IReadOnlyCollection<OtlpSpan> spans)
    {
        var snapshot = spans.ToArray();
        var workers = snapshot.Where(s => s.Resource.ContainsKey("cluster.worker.id") && s.Scope == "Microsoft.AspNetCore")
            .Select(s => s.Resource["cluster.worker.id"]).Distinct().Count();
        var supervision = snapshot.Where(s => s.Scope == PrimarySource).Select(s => s.Name).ToHashSet();
        return workers >= Workers && supervision.IsSupersetOf(s_supervisionSpans);
    }
}
