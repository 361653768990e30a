using ClusterTemplate.Primary.Supervision.Policies;

namespace ClusterTemplate.Tests.Supervision.Policies;

[Trait("Category", "Unit")]
public class ConsecutiveFailuresHealthPolicyTests
{
    [Fact]
    public void Only_consecutive_failures_reach_the_threshold()
    {
        var policy = new ConsecutiveFailuresHealthPolicy(threshold: 3);

        bool[] probes = [false, false, true, false, false, false];
        var verdicts = probes.Select(policy.RecordProbe).ToArray();

        Assert.Equal([false, false, false, false, false, true], verdicts);
        Assert.Equal(3, policy.ConsecutiveFailures);
    }
}
