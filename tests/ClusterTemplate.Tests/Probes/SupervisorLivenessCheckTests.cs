using ClusterTemplate.Primary.Probes;
using ClusterTemplate.Primary.Supervision;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace ClusterTemplate.Tests.Probes;

/// <summary>/healthz follows the supervisor's heartbeat, on a fake clock.</summary>
[Trait("Category", "Unit")]
public sealed class SupervisorLivenessCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Healthy_before_the_supervisor_starts()
    {
        var heartbeat = new SupervisorHeartbeat(new WorkerSlots(), _time);

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(heartbeat)).Status);
    }

    [Fact]
    public async Task Healthy_while_it_ticks_and_unhealthy_once_its_last_tick_is_older_than_the_bound()
    {
        var heartbeat = new SupervisorHeartbeat(new WorkerSlots(), _time);
        heartbeat.Tick();

        _time.Advance(SupervisorHeartbeat.StaleAfter);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(heartbeat)).Status);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var stale = await CheckAsync(heartbeat);
        Assert.Equal(HealthStatus.Unhealthy, stale.Status);
        Assert.Equal(10_001L, stale.Data["heartbeatAgeMs"]);
        Assert.StartsWith("the supervisor has not ticked for 10 s", stale.Description);
    }

    [Fact]
    public async Task The_loop_keeps_the_heartbeat_fresh_as_time_passes()
    {
        var heartbeat = new SupervisorHeartbeat(new WorkerSlots(), _time);
        using var stop = new CancellationTokenSource();
        var loop = heartbeat.RunAsync(stop.Token);

        for (var i = 0; i < 30; i++)
        {
            _time.Advance(SupervisorHeartbeat.Period);
            await WaitForTickAsync(heartbeat, _time.GetUtcNow());
        }

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(heartbeat)).Status);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static Task<HealthCheckResult> CheckAsync(SupervisorHeartbeat heartbeat) =>
        new SupervisorLivenessCheck(heartbeat).CheckHealthAsync(new HealthCheckContext());

    private static async Task WaitForTickAsync(SupervisorHeartbeat heartbeat, DateTimeOffset at)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (heartbeat.LastTick != at)
        {
            await Task.Delay(1, budget.Token);
        }
    }
}
