using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Supervision.Policies;

namespace ClusterTemplate.Tests.Supervision.Policies;

[Trait("Category", "Unit")]
public class CrashLoopGuardTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RestartOptions s_options = new() { CrashLoopMaxRestarts = 3, CrashLoopWindow = TimeSpan.FromSeconds(60) };

    [Fact]
    public void More_restarts_than_allowed_within_the_window_trip_the_guard()
    {
        var guard = new CrashLoopGuard(s_options);

        var tripped = Enumerable.Range(0, 4).Select(i => guard.RecordRestart(s_start.AddSeconds(i))).ToArray();

        Assert.Equal([false, false, false, true], tripped);
        Assert.True(guard.IsTripped);
    }

    [Fact]
    public void Restarts_spread_wider_than_the_window_do_not_trip_it()
    {
        var guard = new CrashLoopGuard(s_options);

        var tripped = Enumerable.Range(0, 10).Select(i => guard.RecordRestart(s_start.AddSeconds(i * 25))).ToArray();

        Assert.All(tripped, Assert.False);
    }

    [Fact]
    public void Reset_clears_a_tripped_guard()
    {
        var guard = new CrashLoopGuard(s_options);
        for (var i = 0; i < 4; i++)
        {
            guard.RecordRestart(s_start);
        }

        guard.Reset();

        Assert.False(guard.IsTripped);
        Assert.False(guard.RecordRestart(s_start.AddSeconds(1)));
    }
}
