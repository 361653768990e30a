using ClusterTemplate.Primary.Supervision.Policies;

namespace ClusterTemplate.Tests.Supervision.Policies;

[Trait("Category", "Unit")]
public sealed class ProgressLivenessPolicyTests
{
    private static readonly DateTimeOffset s_readyAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Silence_runs_from_the_last_heartbeat()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), ProgressLivenessPolicy.Silence(s_readyAt.AddSeconds(4), s_readyAt, s_readyAt.AddSeconds(5)));
    }

    [Fact]
    public void Before_the_first_heartbeat_silence_runs_from_readiness()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), ProgressLivenessPolicy.Silence(null, s_readyAt, s_readyAt.AddSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(5), ProgressLivenessPolicy.Silence(s_readyAt.AddSeconds(-10), s_readyAt, s_readyAt.AddSeconds(5)));
    }

    [Theory]
    [InlineData(1.9, true)]
    [InlineData(2.0, true)]
    [InlineData(2.1, false)]
    public void A_worker_silent_longer_than_the_timeout_is_dead(double silentSeconds, bool alive)
    {
        Assert.Equal(alive, new ProgressLivenessPolicy(TimeSpan.FromSeconds(2)).IsAlive(TimeSpan.FromSeconds(silentSeconds)));
    }
}
