using ClusterTemplate.Primary.CommandLine;

namespace ClusterTemplate.Tests.CommandLine;

/// <summary>The switches the configuration reads are accepted exactly as it reads them; everything else is refused or is a word.</summary>
[Trait("Category", "Unit")]
public sealed class SwitchScannerTests
{
    private static readonly string[] s_switches = ["--workers", "--port"];

    [Theory]
    [InlineData("--workers", "2")]
    [InlineData("--workers=2")]
    [InlineData("--PORT", "9000")]
    [InlineData("--Cluster:Workers=2")]
    [InlineData("--Cluster:Health:Interval", "00:00:01")]
    [InlineData("--Logging:LogLevel:Default=Debug")]
    [InlineData("--workers", "-1")]
    public void A_switch_the_configuration_reads_is_accepted_with_its_value(params string[] args)
    {
        var scan = SwitchScanner.Scan(args, s_switches);

        Assert.Null(scan.Problem);
        Assert.Equal(args, scan.Switches);
        Assert.Empty(scan.Arguments);
    }

    [Theory]
    [InlineData("unknown option '--wrokers'", "--wrokers", "2")]
    [InlineData("unknown option '--wrokers'", "--wrokers=2")]
    [InlineData("unknown option '-w'", "-w", "2")]
    [InlineData("unknown option '--Cluster:'", "--Cluster:", "2")]
    [InlineData("unknown option '--:Workers'", "--:Workers=2")]
    [InlineData("option '--workers' needs a value", "--workers")]
    [InlineData("option '--Cluster:Workers' needs a value", "--Cluster:Workers", "--port", "1")]
    public void A_switch_the_configuration_would_ignore_or_misread_is_refused(string problem, params string[] args)
    {
        Assert.Equal(problem, SwitchScanner.Scan(args, s_switches).Problem);
    }

    [Fact]
    public void Words_help_and_version_are_told_apart_from_switches()
    {
        // "/workers" is the provider's spelling of "--workers" on Windows: a word here, which the caller refuses.
        var scan = SwitchScanner.Scan(["3", "--workers", "2", "-1", "/port", "--HELP", "--version"], s_switches);

        Assert.Equal((true, true, null), (scan.Help, scan.Version, scan.Problem));
        Assert.Equal(["3", "-1", "/port"], scan.Arguments);
        Assert.Equal(["--workers", "2"], scan.Switches);
    }
}
