using System.Globalization;
using System.Reflection;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Tests.Fakes;
using ClusterTemplate.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The primary's command line: help, version, the commands' usage, and every switch it cannot read refused
/// with exit code 2 before anything starts. "{settings}" in a case stands for a port, a runtime folder and one
/// worker of the test's own, so that a primary that wrongly starts does not start on the default port; "{client}"
/// for the port and runtime folder a command is pointed at.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class CommandLineTests
{
    private const string Settings = "{settings}";
    private const string Client = "{client}";

    [Theory]
    [InlineData(Settings, "--help")]
    [InlineData(Settings, "-h")]
    [InlineData(Settings, "--help", "--mode", "proxy")]
    [InlineData("help", Settings)]
    public async Task Help_lists_the_commands_and_the_switches_with_what_they_accept_and_starts_nothing(params string[] args)
    {
        var run = new Run(args);

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(run.Args);

        Assert.Equal((0, ""), (exitCode, stderr));
        Assert.StartsWith("Usage:", stdout);
        foreach (var expected in new[] { "status", "reload", "scale <workers>", "restart <worker-id>", "--Cluster:<setting>=<value>", "--version" })
        {
            Assert.Contains(expected, stdout);
        }

        Assert.All(ClusterCommandLine.SwitchMappings.Keys, option => Assert.Contains(option + " <", stdout));
        Assert.Contains(ClusterSettingRules.Workers.Accepted, stdout);
        Assert.Contains(ClusterSettingRules.Port.Accepted, stdout);
        Assert.Contains(LoadBalancingPolicies.AcceptedValues, stdout);
        using var services = SupervisionServices.Build(new ClusterOptions());
        Assert.Contains(services.GetRequiredService<ListenerModeSelector>().AcceptedValues, stdout);
        Assert.False(Directory.Exists(run.RuntimeDirectory), "help starts nothing");
    }

    [Fact]
    public async Task Version_prints_the_informational_version()
    {
        var run = new Run(Settings, "--version");

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(run.Args);

        var version = typeof(ClusterOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal((0, version, ""), (exitCode, stdout.Trim(), stderr));
    }

    [Theory]
    [InlineData("error: unknown option '--wrokers'; see --help", Settings, "--wrokers", "2")]
    [InlineData("error: unknown option '--urls'; see --help", Settings, "--urls", "http://+:9000")]
    [InlineData("error: unknown option '-w'; see --help", Settings, "-w", "2")]
    [InlineData("error: unknown option '--'; see --help", Settings, "--", "--workers", "2")]
    [InlineData("error: option '--mode' needs a value; see --help", Settings, "--mode")]
    [InlineData("error: option '--mode' needs a value; see --help", Settings, "--mode", "--port", "1")]
    [InlineData("error: unexpected argument 'proxy'; see --help", Settings, "proxy")]
    [InlineData("error: unknown command 'relaod'; commands: status, reload, scale <workers>, restart <worker-id>; see --help", "relaod", Settings)]
    public async Task A_command_line_it_cannot_read_exits_2_with_one_line_and_starts_nothing(string expected, params string[] args)
    {
        var run = new Run(args);

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(run.Args);

        Assert.Equal((2, "", expected), (exitCode, stdout, stderr.Trim()));
        Assert.False(Directory.Exists(run.RuntimeDirectory), "nothing may be started for a refused command line");
    }

    [Theory]
    [InlineData("--Cluster:Workers=0")]
    [InlineData("--Cluster:Workers", "0")]
    [InlineData("--cluster:workers=0")]
    [InlineData("--workers=0")]
    [InlineData("--WORKERS", "0")]
    [InlineData("--Logging:LogLevel:Default=Warning", "--workers", "0")]
    [InlineData("--environment", "Staging", "--workers", "0")]
    public async Task Configuration_switches_still_reach_the_settings(params string[] args)
    {
        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync([.. args, "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture)]);

        Assert.Equal((2, "error: Cluster:Workers must be a whole number in 1..256 (got '0')."), (exitCode, stderr.Trim()));
    }

    [Theory]
    [InlineData("Usage: ClusterTemplate.Primary status [--port <port>]", "status", "--help", Client)]
    [InlineData("Usage: ClusterTemplate.Primary reload [--port <port>]", "reload", "-h", Client)]
    [InlineData("Usage: ClusterTemplate.Primary scale <workers> [--port <port>]", "scale", "--help", Client)]
    [InlineData("Usage: ClusterTemplate.Primary restart <worker-id> [--port <port>]", "help", "restart", Client)]
    public async Task Each_command_has_its_usage(string expected, params string[] args)
    {
        var run = new Run(args);

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(run.Args);

        Assert.Equal((0, ""), (exitCode, stderr));
        Assert.StartsWith(expected, stdout);
        Assert.Contains("--runtime-directory <path>", stdout);
        Assert.Equal(args[0] == "status", stdout.Contains("--json", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("error: usage: scale <workers>, a whole number in 1..256 (got nothing); see scale --help", "scale", Client)]
    [InlineData("error: usage: restart <worker-id>, a whole number (got 'first'); see restart --help", "restart", "first", Client)]
    [InlineData("error: unexpected argument 'extra' for status; see status --help", "status", "extra", Client)]
    [InlineData("error: unexpected argument '3' for scale; see scale --help", "scale", "2", "3", Client)]
    [InlineData("error: unknown option '--wrokers' for reload; see reload --help", "reload", "--wrokers", "1", Client)]
    [InlineData("error: unknown option '--mode' for status; see status --help", "status", "--mode", "proxy", Client)]
    [InlineData("error: unknown command 'relaod'; commands: status, reload, scale <workers>, restart <worker-id>; see --help", "help", "relaod", Client)]
    public async Task A_command_used_wrongly_exits_2_with_one_line_pointing_to_its_usage(string expected, params string[] args)
    {
        var run = new Run(args);

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(run.Args);

        Assert.Equal((2, "", expected), (exitCode, stdout, stderr.Trim()));
    }

    /// <summary>A case's arguments with <see cref="Settings"/> and <see cref="Client"/> replaced by a free port, a fresh runtime folder (and one worker).</summary>
    private sealed class Run
    {
        public Run(params string[] args)
        {
            var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            Args = [.. args.SelectMany(arg => arg switch
            {
                Settings => ["--port", port, "--runtime-directory", RuntimeDirectory, "--workers", "1"],
                Client => ["--port", port, "--runtime-directory", RuntimeDirectory],
                _ => new[] { arg },
            })];
        }

        public string RuntimeDirectory { get; } = Path.Combine(Path.GetTempPath(), "ct-" + Guid.NewGuid().ToString("N")[..12]);

        public string[] Args { get; }
    }
}
