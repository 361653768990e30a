using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Supervision.Policies;
using Microsoft.Extensions.Time.Testing;

namespace ClusterTemplate.Tests.Supervision.Policies;

[Trait("Category", "Unit")]
public sealed class RestartPolicyTests
{
    private static readonly RestartOptions s_options = Options();

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_first_crash_restarts_at_once_and_consecutive_ones_double_the_delay_up_to_the_cap()
    {
        var policy = new RestartPolicy(Options(o => o.CrashLoopMaxRestarts = 100));

        var delays = Enumerable.Range(0, 7).Select(_ => Crash(policy, uptime: TimeSpan.FromSeconds(1), after: TimeSpan.FromSeconds(1)).Delay.TotalMilliseconds);

        Assert.Equal([0, 100, 200, 400, 800, 1000, 1000], delays);
    }

    [Fact]
    public void A_stable_run_before_the_exit_resets_the_backoff()
    {
        var policy = new RestartPolicy(s_options);
        Crash(policy, uptime: TimeSpan.FromSeconds(1));
        Crash(policy, uptime: TimeSpan.FromSeconds(1));

        var afterStableRun = Crash(policy, uptime: s_options.StableAfter);

        Assert.Equal(new RestartDecision(TimeSpan.Zero, CrashLoop: false, ConsecutiveCrashes: 1), afterStableRun);
    }

    [Fact]
    public void A_huge_factor_never_overflows_past_the_cap()
    {
        var policy = new RestartPolicy(Options(o =>
        {
            o.BaseDelay = TimeSpan.FromSeconds(1);
            o.Factor = 1e300;
            o.MaxDelay = TimeSpan.FromSeconds(15);
            o.CrashLoopMaxRestarts = 100;
        }));

        var delays = Enumerable.Range(0, 5).Select(_ => Crash(policy, TimeSpan.Zero).Delay).ToArray();

        Assert.Equal(TimeSpan.FromSeconds(15), delays[^1]);
    }

    [Fact]
    public void More_restarts_than_allowed_within_the_window_are_a_crash_loop_retried_at_the_cap()
    {
        var policy = new RestartPolicy(s_options);

        var decisions = Enumerable.Range(0, 4).Select(_ => Crash(policy, TimeSpan.Zero, after: TimeSpan.FromSeconds(5))).ToArray();

        Assert.Equal([false, false, false, true], decisions.Select(d => d.CrashLoop));
        Assert.Equal(s_options.MaxDelay, decisions[^1].Delay);
        Assert.True(policy.InCrashLoop);
    }

    [Fact]
    public void Restarts_spread_wider_than_the_window_are_no_crash_loop()
    {
        var policy = new RestartPolicy(s_options);

        var decisions = Enumerable.Range(0, 6).Select(_ => Crash(policy, TimeSpan.FromSeconds(1), after: TimeSpan.FromSeconds(25))).ToArray();

        Assert.All(decisions, d => Assert.False(d.CrashLoop));
    }

    [Fact]
    public void A_process_that_runs_stably_ends_the_crash_loop_before_it_exits()
    {
        var policy = new RestartPolicy(s_options);
        for (var i = 0; i < 4; i++)
        {
            Crash(policy, TimeSpan.Zero);
        }

        policy.OnRunning(s_options.StableAfter - TimeSpan.FromSeconds(1));
        Assert.True(policy.InCrashLoop);

        policy.OnRunning(s_options.StableAfter);
        Assert.False(policy.InCrashLoop);
        Assert.Equal(new RestartDecision(TimeSpan.Zero, CrashLoop: false, ConsecutiveCrashes: 1), Crash(policy, TimeSpan.FromSeconds(1)));
    }

    private static RestartOptions Options(Action<RestartOptions>? change = null)
    {
        var options = new RestartOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(100),
            Factor = 2,
            MaxDelay = TimeSpan.FromSeconds(1),
            StableAfter = TimeSpan.FromSeconds(30),
            CrashLoopMaxRestarts = 3,
            CrashLoopWindow = TimeSpan.FromSeconds(60),
        };
        change?.Invoke(options);
        return options;
    }

    private RestartDecision Crash(RestartPolicy policy, TimeSpan uptime, TimeSpan? after = null)
    {
        _time.Advance(after ?? TimeSpan.FromSeconds(1));
        return policy.OnUnplannedExit(uptime, _time.GetUtcNow());
    }
}
