using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Supervision.Policies;

namespace ClusterTemplate.Tests.Supervision.Policies;

[Trait("Category", "Unit")]
public class RestartBackoffTests
{
    private static readonly RestartOptions s_options = new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(100),
        Factor = 2,
        MaxDelay = TimeSpan.FromSeconds(1),
        StableAfter = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public void Consecutive_crashes_double_the_delay_up_to_the_cap()
    {
        var backoff = new RestartBackoff(s_options);

        var delays = Enumerable.Range(0, 7).Select(_ => backoff.NextDelay(TimeSpan.FromSeconds(1)).TotalMilliseconds).ToArray();

        Assert.Equal([0, 100, 200, 400, 800, 1000, 1000], delays);
    }

    [Fact]
    public void A_stable_run_resets_the_backoff()
    {
        var backoff = new RestartBackoff(s_options);
        backoff.NextDelay(TimeSpan.FromSeconds(1));
        backoff.NextDelay(TimeSpan.FromSeconds(1));
        backoff.NextDelay(TimeSpan.FromSeconds(1));

        var afterStableRun = backoff.NextDelay(TimeSpan.FromSeconds(31));

        Assert.Equal(TimeSpan.Zero, afterStableRun);
        Assert.Equal(1, backoff.ConsecutiveCrashes);
    }

    [Fact]
    public void A_huge_factor_never_overflows_past_the_cap()
    {
        var backoff = new RestartBackoff(new RestartOptions { BaseDelay = TimeSpan.FromSeconds(1), Factor = 1e300, MaxDelay = TimeSpan.FromSeconds(15) });

        backoff.NextDelay(TimeSpan.Zero);
        backoff.NextDelay(TimeSpan.Zero);
        backoff.NextDelay(TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(15), backoff.NextDelay(TimeSpan.Zero));
    }
}
