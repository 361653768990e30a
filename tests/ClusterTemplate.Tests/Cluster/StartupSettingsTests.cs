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
            "--workers", "0", "--mode", "turbo", "--port", PrimaryProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--runtime-directory", runtimeDirectory);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            ["error: Cluster:Workers must be a whole number in 1..256 (got '0').", "error: Cluster:Mode must be reuseport, shared or proxy (got 'turbo')."],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.False(Directory.Exists(runtimeDirectory), "nothing may be started for a refused configuration");
    }

    [Fact]
    public async Task A_worker_path_that_is_not_executable_exits_2_with_one_line()
    {
        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync("--worker-path", "/etc/passwd", "--port", PrimaryProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, exitCode);
        Assert.Equal("error: Cluster:WorkerPath: /etc/passwd is not executable; make it executable (chmod +x) or set it to the Worker's .dll.", stderr.Trim());
    }

    [Fact]
    public async Task A_value_the_binder_cannot_read_exits_2_with_one_line()
    {
        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync("--workers", "many", "--port", PrimaryProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, exitCode);
        Assert.Equal("error: Cluster:Workers must be a whole number in 1..256 (got 'many').", stderr.Trim());
    }
}
