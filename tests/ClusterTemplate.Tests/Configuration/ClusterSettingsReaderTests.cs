using ClusterTemplate.Primary.Configuration;
using Microsoft.Extensions.Configuration;

namespace ClusterTemplate.Tests.Configuration;

/// <summary>
/// Reading the <c>Cluster</c> section: what the binder reads is bound as it binds it, and every value it cannot
/// read or key that is no setting becomes one line, reported with the rules' failures instead of stopping at the first.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ClusterSettingsReaderTests
{
    [Theory]
    [InlineData("Workers", "many", "Cluster:Workers must be a whole number in 1..256 (got 'many').")]
    [InlineData("workers", "1.5", "Cluster:Workers must be a whole number in 1..256 (got '1.5').")]
    [InlineData("DrainTimeout", "soon", "Cluster:DrainTimeout must be a positive time span such as 00:00:30 (got 'soon').")]
    [InlineData("ShareProcessors", "maybe", "Cluster:ShareProcessors must be true or false (got 'maybe').")]
    [InlineData("Health:StopGracePeriod", "later", "Cluster:Health:StopGracePeriod must be a time span such as 00:00:05 (got 'later').")]
    [InlineData("Recycle:MaxRequests", "lots", "Cluster:Recycle:MaxRequests must be a whole number of 0 (off) or more (got 'lots').")]
    public void A_value_the_binder_cannot_read_gets_one_line_like_a_rule(string key, string value, string expected)
    {
        var options = Read(("Cluster:" + key, value));

        Assert.Equal(expected, Assert.Single(new ClusterOptionsValidator().Validate(null, options).Failures!));
    }

    [Fact]
    public void Unreadable_values_keys_that_are_no_setting_and_broken_rules_are_reported_together_in_rule_order()
    {
        var options = Read(
            ("Cluster:Port", "http"), ("Cluster:Workers", "many"), ("Cluster:Health:Timeout", "0"),
            ("Cluster:Restart:Factor", "double"), ("Cluster:Wrokers", "2"), ("Cluster:Health:Intervall", "00:00:01"));

        var failures = new ClusterOptionsValidator().Validate(null, options).Failures!;

        Assert.Collection(
            failures,
            failure => Assert.Equal("Cluster:Workers must be a whole number in 1..256 (got 'many').", failure),
            failure => Assert.Equal("Cluster:Port must be a whole number in 1..65535 (got 'http').", failure),
            failure => Assert.Equal("Cluster:Restart:Factor must be a number of 1 or more (got 'double').", failure),
            failure => Assert.Equal("Cluster:Health:Timeout must be a positive time span such as 00:00:02 (got '00:00:00').", failure),
            failure => Assert.StartsWith("Cluster:Health:Intervall is not a setting; Cluster:Health has Interval, Timeout, LivenessTimeout, StartupTimeout, StopGracePeriod", failure),
            failure => Assert.StartsWith("Cluster:Wrokers is not a setting; Cluster has Workers, Port, Mode, WorkerPath, WorkingDirectory, RuntimeDirectory, DrainTimeout, ShutdownDelay, ShareProcessors, Environment, ", failure));
    }

    [Fact]
    public void What_it_can_read_is_bound_as_the_binder_binds_it()
    {
        var options = Read(
            ("Cluster:workers", "3"), ("Cluster:Mode", "proxy"), ("Cluster:DrainTimeout", "00:00:12"), ("Cluster:ShareProcessors", "false"),
            ("Cluster:Environment:FEATURE", "on"), ("Cluster:Restart:Factor", "1.5"), ("Cluster:health:interval", "00:00:01"));

        Assert.Empty(options.ReadErrors);
        Assert.Equal((3, "proxy", TimeSpan.FromSeconds(12), false), (options.Workers, options.Mode, options.DrainTimeout, options.ShareProcessors));
        Assert.Equal("on", options.Environment["FEATURE"]);
        Assert.Equal(1.5, options.Restart.Factor);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Health.Interval);
        Assert.Equal(new HealthProbeOptions().Timeout, options.Health.Timeout);
    }

    [Fact]
    public void A_value_it_cannot_read_keeps_its_default_and_the_rest_is_still_read()
    {
        var options = Read(("Cluster:Workers", "many"), ("Cluster:Port", "9000"));

        Assert.Equal((new ClusterOptions().Workers, 9000), (options.Workers, options.Port));
    }

    private static ClusterOptions Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var options = new ClusterOptions();
        ClusterSettingsReader.Read(configuration.GetSection(ClusterOptions.SectionName), options);
        return options;
    }
}
