using System.Globalization;
using System.Runtime.Versioning;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// In proxy mode each worker process serves the primary on a Unix domain socket of its own in the private runtime
/// folder: it opens no TCP port, and its socket goes when the process does, on a rollout, a kill or the stop.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class ProxySocketTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_replacementBudget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_removalBudget = TimeSpan.FromSeconds(10);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ct-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_worker_serves_the_proxy_on_a_socket_in_the_runtime_folder_and_listens_on_no_TCP_port()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "proxy");
        var worker = (await primary.WaitForRunningAsync(1)).Single();

        var pids = await PublicClient.CollectPidsAsync(primary.BaseAddress, expected: 1);

        Assert.Equal([worker.ProcessId], pids);
        Assert.True(IsSocket(SocketPath(primary.RuntimeDirectory, worker)), "the worker's proxy socket is in the runtime folder");
        Assert.Empty(TcpListeners.Of(worker.ProcessId));
        Assert.Contains(primary.Port, TcpListeners.Of(primary.Process.Id));
    }

    [Fact]
    public async Task A_replaced_or_killed_worker_s_socket_is_removed_and_the_proxy_follows_its_successor()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "proxy");
        var first = (await primary.WaitForRunningAsync(1)).Single();

        var reload = await primary.PostAsync(ControlRoutes.Reload);
        Assert.True(reload.Succeeded, reload.Message);
        var second = (await primary.WaitForWorkersAsync(w => w.Single() is { State: WorkerState.Running, Generation: 2 }, s_replacementBudget)).Single();
        await WaitUntilGoneAsync(SocketPath(primary.RuntimeDirectory, first));

        Assert.True(UnixSignals.Send(second.ProcessId, 9));
        var third = (await primary.WaitForWorkersAsync(w => w.Single() is { State: WorkerState.Running, Ready: true, Generation: 3 }, s_replacementBudget)).Single();
        await WaitUntilGoneAsync(SocketPath(primary.RuntimeDirectory, second));

        Assert.True(IsSocket(SocketPath(primary.RuntimeDirectory, third)));
        Assert.Equal([third.ProcessId], await PublicClient.CollectPidsAsync(primary.BaseAddress, expected: 1));
    }

    [Fact]
    public async Task The_stop_leaves_no_worker_socket_in_an_existing_runtime_folder()
    {
        Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using (var primary = PrimaryProcess.StartIn(_folder, output, workers: 2, "proxy"))
        {
            var workers = await primary.WaitForRunningAsync(2);
            Assert.All(workers, worker => Assert.True(IsSocket(SocketPath(_folder, worker))));

            primary.Signal(UnixSignals.SigTerm);
            await primary.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, primary.Process.ExitCode);

            // Checked before the test's own clean-up (disposing the primary) can touch the folder.
            Assert.Empty(Directory.GetFileSystemEntries(_folder));
        }
    }

    private static string SocketPath(string runtimeDirectory, WorkerSnapshot worker) =>
        Path.Combine(runtimeDirectory, string.Create(CultureInfo.InvariantCulture, $"worker-{worker.WorkerId}-{worker.Generation}.http.sock"));

    private static bool IsSocket(string path) =>
        UnixFiles.TryGetStatus(path, followLinks: false, out var status) == 0 && status.Kind == UnixFileKind.Socket;

    private static async Task WaitUntilGoneAsync(string path)
    {
        var deadline = DateTime.UtcNow + s_removalBudget;
        while (File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} is still there after {s_removalBudget.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
