using System.Globalization;
using System.Runtime.Versioning;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The command-line client without <c>--port</c>, when no primary runs on the configured port: an AppHost's cluster
/// runs on the port the AppHost was given, and the client finds it if it is this user's only one.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class ControlClientDiscoveryTests(ITestOutputHelper output) : IDisposable
{
    // This user's runtime folder for these primaries and the client alone: no other cluster of the machine is in it.
    private readonly string _xdg = Directory.CreateTempSubdirectory("ct-xdg-").FullName;

    // The port the client is configured with (as Cluster:Port in its appsettings.json would be), where nothing runs.
    private readonly int _configuredPort = FreePort.Next();

    private IReadOnlyDictionary<string, string?> ClientEnvironment => new Dictionary<string, string?>
    {
        ["XDG_RUNTIME_DIR"] = _xdg,
        ["Cluster__Port"] = _configuredPort.ToString(CultureInfo.InvariantCulture),
    };

    public void Dispose() => Directory.Delete(_xdg, recursive: true);

    [Fact]
    public async Task Status_without_port_uses_the_only_running_primary_and_says_which()
    {
        await using var primary = PrimaryProcess.StartInDefaultFolder(_xdg, output, workers: 1, "reuseport");
        await primary.WaitForRunningAsync(1);

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(ClientEnvironment, "status");

        Assert.True(exitCode == 0, $"exit code {exitCode}: {stderr}");
        Assert.Contains($"port {primary.Port}", stdout);
        Assert.Equal($"using the primary on port {primary.Port}, the only one running (none on port {_configuredPort})", stderr.Trim());
    }

    [Fact]
    public async Task Status_without_port_refuses_to_choose_between_two_running_primaries()
    {
        await using var first = PrimaryProcess.StartInDefaultFolder(_xdg, output, workers: 1, "reuseport");
        await using var second = PrimaryProcess.StartInDefaultFolder(_xdg, output, workers: 1, "reuseport");
        await Task.WhenAll(first.WaitForRunningAsync(1), second.WaitForRunningAsync(1));
        int[] ports = [.. new[] { first.Port, second.Port }.Order()];

        var (exitCode, stdout, stderr) = await PrimaryProcess.RunToExitAsync(ClientEnvironment, "status");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.Equal($"error: no primary is running on port {_configuredPort}, and 2 others are, on ports {ports[0]}, {ports[1]}; pass --port", stderr.Trim());
    }

    [Fact]
    public async Task Status_with_port_never_falls_back_to_another_primary()
    {
        await using var primary = PrimaryProcess.StartInDefaultFolder(_xdg, output, workers: 1, "reuseport");
        await primary.WaitForRunningAsync(1);
        var elsewhere = FreePort.Next().ToString(CultureInfo.InvariantCulture);

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(ClientEnvironment, "status", "--port", elsewhere);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"error: no primary is running on port {elsewhere} ", stderr);
    }
}
