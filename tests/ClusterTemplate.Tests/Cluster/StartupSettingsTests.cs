using System.Net;
using System.Net.Sockets;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>Bad settings stop the primary before it starts anything: one clear line, exit code 2.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("--workers", "0", "Cluster:Workers must be a whole number in 1..256 (got '0')")]
    [InlineData("--workers", "257", "Cluster:Workers must be a whole number in 1..256 (got '257')")]
    [InlineData("--workers", "many", "Cluster:Workers must be a whole number in 1..256 (got 'many')")]
    [InlineData("--workers", "1.5", "Cluster:Workers must be a whole number in 1..256 (got '1.5')")]
    [InlineData("--port", "0", "Cluster:Port must be a whole number in 1..65535 (got '0')")]
    [InlineData("--port", "70000", "Cluster:Port must be a whole number in 1..65535 (got '70000')")]
    [InlineData("--mode", "turbo", "Cluster:Mode must be reuseport, shared or proxy (got 'turbo')")]
    [InlineData("--load-balancing", "Sticky", "Cluster:LoadBalancing must be PowerOfTwoChoices, LeastRequests, RoundRobin, Random, FirstAlphabetical (got 'Sticky')")]
    [InlineData("--worker-path", "/nonexistent/Worker.dll", "Cluster:WorkerPath: worker program not found (looked in /nonexistent/Worker.dll)")]
    public async Task A_bad_setting_exits_2_with_one_line_naming_it(string option, string value, string expected)
    {
        var runtimeDirectory = Path.Combine(Path.GetTempPath(), "ct-" + Guid.NewGuid().ToString("N")[..12]);

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(
            option, value, "--port", option == "--port" ? value : PrimaryProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--runtime-directory", runtimeDirectory);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: " + expected, line);
        Assert.False(Directory.Exists(runtimeDirectory), "nothing may be started for a refused configuration");
    }

    [Fact]
    public async Task A_port_taken_by_another_program_exits_2()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: Cluster:Port {port} is already taken by another program; choose a free port (1..65535) or stop that program.", stderr.Trim());
    }
}
