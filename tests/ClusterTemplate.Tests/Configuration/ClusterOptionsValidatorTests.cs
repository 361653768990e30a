using ClusterTemplate.Primary.Configuration;

namespace ClusterTemplate.Tests.Configuration;

/// <summary>The rules that need nothing but the settings: each failure is one line naming the setting and what it accepts.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterOptionsValidatorTests
{
    public static TheoryData<Action<ClusterOptions>, string> BrokenSettings => new()
    {
        { o => o.Workers = 0, "Cluster:Workers must be a whole number in 1..256 (got '0')." },
        { o => o.Workers = 257, "Cluster:Workers must be a whole number in 1..256 (got '257')." },
        { o => o.Port = 0, "Cluster:Port must be a whole number in 1..65535 (got '0')." },
        { o => o.Port = 70000, "Cluster:Port must be a whole number in 1..65535 (got '70000')." },
        { o => o.LoadBalancing = "Sticky", "Cluster:LoadBalancing must be PowerOfTwoChoices, LeastRequests, RoundRobin, Random, FirstAlphabetical (got 'Sticky')." },
        { o => o.DrainTimeout = TimeSpan.Zero, "Cluster:DrainTimeout must be a positive time span such as 00:00:30 (got '00:00:00')." },
        { o => o.DeregistrationDelay = TimeSpan.FromSeconds(-1), "Cluster:DeregistrationDelay must be a time span of zero or more, such as 00:00:00.200 (got '-00:00:01')." },
        { o => o.Init.When = "always", "Cluster:Init:When must be never, start or every-rollout (got 'always')." },
        { o => o.Init.Timeout = TimeSpan.Zero, "Cluster:Init:Timeout must be a positive time span such as 00:05:00 (got '00:00:00')." },
        { o => o.Restart.Factor = 0.5, "Cluster:Restart:Factor must be a number of 1 or more (got '0.5')." },
        { o => o.Restart.MaxDelay = TimeSpan.FromMilliseconds(50), "Cluster:Restart:MaxDelay must be a time span no shorter than Cluster:Restart:BaseDelay (got '00:00:00.0500000')." },
        { o => o.Restart.CrashLoopMaxRestarts = 0, "Cluster:Restart:CrashLoopMaxRestarts must be a whole number of 1 or more (got '0')." },
        { o => o.Recycle.MaxRequests = -1, "Cluster:Recycle:MaxRequests must be a whole number of 0 (off) or more (got '-1')." },
        { o => o.Health.Interval = TimeSpan.Zero, "Cluster:Health:Interval must be a positive time span such as 00:00:02 (got '00:00:00')." },
        { o => o.Health.LivenessTimeout = TimeSpan.FromMilliseconds(100), "Cluster:Health:LivenessTimeout must be a time span of at least 00:00:00.500 (got '00:00:00.1000000')." },
        { o => (o.Workers, o.Health.MinReadyWorkers) = (2, 3), "Cluster:Health:MinReadyWorkers must be a whole number in 1..Cluster:Workers (got '3')." },
        { o => o.Health.MinReadyWorkers = 0, "Cluster:Health:MinReadyWorkers must be a whole number in 1..Cluster:Workers (got '0')." },
        { o => o.HealthEndpoint = "https://127.0.0.1:8081", $"Cluster:HealthEndpoint must be {HealthEndpointAddress.AcceptedValues} (got 'https://127.0.0.1:8081')." },
        { o => (o.Port, o.HealthEndpoint) = (8081, "http://*:8081"), $"Cluster:HealthEndpoint must be {HealthEndpointAddress.AcceptedValues} (got 'http://*:8081')." },
    };

    [Theory]
    [MemberData(nameof(BrokenSettings))]
    public void A_setting_out_of_range_fails_with_one_line_naming_it(Action<ClusterOptions> change, string expected)
    {
        var options = new ClusterOptions();
        change(options);

        var result = new ClusterOptionsValidator().Validate(null, options);

        Assert.Equal(expected, Assert.Single(result.Failures!));
    }

    [Fact]
    public void The_defaults_pass()
    {
        Assert.True(new ClusterOptionsValidator().Validate(null, new ClusterOptions()).Succeeded);
    }

    [Fact]
    public void Every_broken_setting_is_reported_not_only_the_first()
    {
        var options = new ClusterOptions { Workers = 0, Port = 0 };
        options.Health.Timeout = TimeSpan.Zero;

        var failures = new ClusterOptionsValidator().Validate(null, options).Failures!.ToArray();

        Assert.Equal(["Cluster:Workers", "Cluster:Port", "Cluster:Health:Timeout"], failures.Select(f => f[..f.IndexOf(' ', StringComparison.Ordinal)]));
    }
}
