using System.Globalization;
using ClusterTemplate.TestSupport;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// Bad settings stop the primary before it starts anything: one line per broken setting, exit code 2.
/// The rules themselves are unit-tested (ClusterOptionsValidatorTests, ClusterStartupValidatorTests).
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class StartupSettingsTests
{
    [Fact]
    public async Task Bad_settings_exit_2_with_a_line_each_and_start_nothing()
    {
        var runtimeDirectory = Path.Combine(Path.GetTempPath(), "ct-" + Guid.NewGuid().ToString("N")[..12]);

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(
            "--workers", "0", "--mode", "turbo", "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--runtime-directory", runtimeDirectory);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            ["error: Cluster:Workers must be a whole number in 1..256 (got '0').", "error: Cluster:Mode must be reuseport, shared or proxy (got 'turbo')."],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.False(Directory.Exists(runtimeDirectory), "nothing may be started for a refused configuration");
    }

    [Fact]
    public async Task A_worker_path_that_is_not_executable_exits_2_with_one_line()
    {
        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync("--worker-path", "/etc/passwd", "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, exitCode);
        Assert.Equal("error: Cluster:WorkerPath: /etc/passwd is not executable; make it executable (chmod +x) or set it to the Worker's .dll.", stderr.Trim());
    }

    [Fact]
    public async Task A_value_the_binder_cannot_read_exits_2_with_one_line()
    {
        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync("--workers", "many", "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, exitCode);
        Assert.Equal("error: Cluster:Workers must be a whole number in 1..256 (got 'many').", stderr.Trim());
    }

    [Fact]
    public async Task Every_unreadable_value_unknown_setting_and_broken_rule_is_reported_together()
    {
        var runtimeDirectory = Path.Combine(Path.GetTempPath(), "ct-" + Guid.NewGuid().ToString("N")[..12]);

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(
            "--workers", "many", "--port", "http", "--drain-timeout", "soon", "--mode", "turbo", "--Cluster:Health:Interval=0",
            "--Cluster:Wrokers=2", "--Cluster:Health:Intervall=00:00:01", "--runtime-directory", runtimeDirectory);

        Assert.Equal(2, exitCode);
        Assert.Collection(
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            line => Assert.Equal("error: Cluster:Workers must be a whole number in 1..256 (got 'many').", line),
            line => Assert.Equal("error: Cluster:Port must be a whole number in 1..65535 (got 'http').", line),
            line => Assert.Equal("error: Cluster:DrainTimeout must be a positive time span such as 00:00:30 (got 'soon').", line),
            line => Assert.Equal("error: Cluster:Health:Interval must be a positive time span such as 00:00:02 (got '00:00:00').", line),
            line => Assert.StartsWith("error: Cluster:Health:Intervall is not a setting; Cluster:Health has Interval, Timeout, ", line),
            line => Assert.StartsWith("error: Cluster:Wrokers is not a setting; Cluster has Workers, Port, Mode, ", line),
            line => Assert.Equal("error: Cluster:Mode must be reuseport, shared or proxy (got 'turbo').", line));
        Assert.False(Directory.Exists(runtimeDirectory), "nothing may be started for a refused configuration");
    }

    [Theory]
    [InlineData("appsettings.json")]
    [InlineData("appsettings.json", "status")]
    [InlineData("appsettings.Production.json")]
    public async Task A_malformed_settings_file_exits_2_with_one_line_naming_it(string file, params string[] command)
    {
        using var primary = PrimaryBuildCopy.Create();
        primary.WriteFile(file, "{\n  \"Cluster\": {\n    \"Workers\" 2\n  }\n}\n");

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(primary, [.. command, "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture)]);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {file}: '2' is invalid after a property name. Expected a ':'.", line);
        Assert.Contains("LineNumber: 2", line);
    }
}
