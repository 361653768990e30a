using System.Globalization;
using System.Runtime.Versioning;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// In reuseport mode the primary holds no socket on the public port, so the port being free says nothing
/// about a primary already running there: the runtime folder's lock does.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class OnePrimaryPerClusterTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _quietWorker = Path.Combine(Path.GetTempPath(), "ct-quiet-worker-" + Guid.NewGuid().ToString("N")[..12] + ".sh");

    public void Dispose() => File.Delete(_quietWorker);

    [Fact]
    public async Task A_second_primary_on_the_same_port_exits_2_and_the_first_keeps_running()
    {
        // Workers that never bind the port: the window in which a starting or restarting cluster leaves it free.
        File.WriteAllText(_quietWorker, "#!/bin/sh\nexec sleep 300\n");
        File.SetUnixFileMode(_quietWorker, (UnixFileMode)Convert.ToInt32("755", 8));
        await using var first = PrimaryProcess.Start(output, workers: 1, "reuseport", "--worker-path", _quietWorker);
        await first.WaitForWorkersAsync(workers => workers.Count == 1 && workers[0].ProcessId > 0);

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(
            "--workers", "1", "--mode", "reuseport", "--worker-path", _quietWorker,
            "--port", first.Port.ToString(CultureInfo.InvariantCulture), "--runtime-directory", first.RuntimeDirectory);

        Assert.Equal(
            $"error: Cluster:Port {first.Port}: another primary (pid {first.Process.Id}) already runs this cluster (runtime folder '{first.RuntimeDirectory}'); stop it first or choose another port.",
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        Assert.Equal(2, exitCode);
        Assert.False(first.Process.HasExited);
        Assert.Single((await first.GetStatusAsync()).Workers);
    }
}
