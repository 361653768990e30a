using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The published layout (primary, <c>worker/</c> beside it) installed as deploy/systemd does it: owned by root and
/// read-only, run by an unprivileged user (<c>nobody</c>) whose only writable folder is its runtime folder.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class UnprivilegedInstallTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_stopBudget = TimeSpan.FromSeconds(40);

    private readonly string _root = CreateRoot();

    [RootFact]
    public async Task An_unprivileged_user_runs_a_read_only_install_with_only_its_runtime_folder_writable_reloads_and_stops_cleanly()
    {
        var install = InstallReadOnly();
        var before = Snapshot(install);
        // As systemd makes RuntimeDirectory= with RuntimeDirectoryMode=0700: by root, then handed to the user.
        var runtimeDirectory = Path.Combine(_root, "run");
        Directory.CreateDirectory(runtimeDirectory, (UnixFileMode)Convert.ToInt32("700", 8));
        await OtherUser.GiveAsync(runtimeDirectory);

        await using var primary = PrimaryProcess.StartInstalled(
            PrimaryIn(install), OtherUser.Launcher, workingDirectory: install, defaultRuntimeDirectoryFor: null, runtimeDirectory, output, ServiceEnvironment(), workers: 2, "reuseport");
        var workers = await WaitForRunningAsync(primary, 2);

        Assert.All(workers, worker => Assert.Equal(OtherUser.Id, UidOf(worker.ProcessId)));
        Assert.All(workers, worker => Assert.StartsWith(Path.Combine(install, WorkerProgramLocator.PublishedWorkerFolder) + "/", CommandOf(worker.ProcessId)));
        Assert.Equal(OtherUser.Id, UidOf(primary.Process.Id));
        Assert.Equal(2, (await PublicClient.CollectPidsAsync(primary.BaseAddress, expected: 2)).Count);

        // A reload as the service's own user, as ExecReload= runs it on systemd before 253.
        var reload = await OtherUser.RunAsync(Path.ChangeExtension(PrimaryIn(install), null), "reload", "--port", primary.Port.ToString(CultureInfo.InvariantCulture), "--runtime-directory", runtimeDirectory);
        Assert.True(reload.ExitCode == 0, $"reload as nobody failed: {reload.StandardOutput}{reload.StandardError}");
        var replaced = await WaitForRunningAsync(primary, 2);
        Assert.Empty(replaced.Select(w => w.ProcessId).Intersect(workers.Select(w => w.ProcessId)));
        Assert.Equal(HttpStatusCode.OK, (await PublicClient.GetAsync(primary.BaseAddress)).Status);

        var exitCode = await StopAsync(primary);

        Assert.Equal(0, exitCode);
        Assert.All(workers.Concat(replaced), worker => Assert.False(PrimaryProcess.IsAlive(worker.ProcessId), $"worker pid {worker.ProcessId} outlived the primary"));
        Assert.Equal(before, Snapshot(install));
        Assert.Empty(Directory.GetFileSystemEntries(runtimeDirectory));
        Assert.Equal(OtherUser.Id, OtherUser.OwnerOf(runtimeDirectory));
    }

    [RootFact]
    public async Task Without_a_runtime_directory_or_XDG_RUNTIME_DIR_an_unprivileged_primary_uses_a_folder_of_its_uid_in_the_temp_folder()
    {
        var install = InstallReadOnly();
        var temp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(temp);
        File.SetUnixFileMode(temp, (UnixFileMode)Convert.ToInt32("1777", 8));
        var environment = new Dictionary<string, string?>(ServiceEnvironment()) { ["TMPDIR"] = temp };

        await using var primary = PrimaryProcess.StartInstalled(
            PrimaryIn(install), OtherUser.Launcher, workingDirectory: install,
            port => Path.Combine(temp, $"clustertemplate-{OtherUser.Id}", port.ToString(CultureInfo.InvariantCulture)), runtimeDirectory: null,
            output, environment, workers: 1, "reuseport");
        var workers = await WaitForRunningAsync(primary, 1);

        Assert.Equal(OtherUser.Id, OtherUser.OwnerOf(primary.RuntimeDirectory));
        Assert.Equal("700", Convert.ToString((int)File.GetUnixFileMode(primary.RuntimeDirectory), 8));
        Assert.True(File.Exists(ControlSocket.PathIn(primary.RuntimeDirectory)));

        Assert.Equal(0, await StopAsync(primary));
        Assert.False(PrimaryProcess.IsAlive(workers[0].ProcessId), "the worker outlived the primary");
        Assert.False(Directory.Exists(primary.RuntimeDirectory), "the primary left the runtime folder it made");
    }

    public void Dispose()
    {
        ReadOnlyInstall.MakeWritable(_root);
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The environment of a service user: no home to write to, no <c>XDG_RUNTIME_DIR</c>.</summary>
    private static Dictionary<string, string?> ServiceEnvironment() => new()
    {
        ["HOME"] = "/nonexistent",
        ["XDG_RUNTIME_DIR"] = null,
        ["DOTNET_ROOT"] = Path.GetDirectoryName(new FileInfo("/usr/bin/dotnet").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/usr/share/dotnet/dotnet"),
    };

    /// <summary>
    /// Polls the worker table as the primary's own user: the control client trusts only a server of its own user or
    /// root, so root's client refuses the socket of a primary that runs as <c>nobody</c> (as an admin's would).
    /// </summary>
    private static async Task<IReadOnlyList<WorkerSnapshot>> WaitForRunningAsync(PrimaryProcess primary, int count)
    {
        using var timeout = new CancellationTokenSource(PrimaryProcess.StartBudget);
        var last = "";
        while (!timeout.IsCancellationRequested)
        {
            Assert.False(primary.Process.HasExited, $"The primary exited with code {(primary.Process.HasExited ? primary.Process.ExitCode : 0)}:\n{string.Join('\n', primary.Output)}");
            var (exitCode, json, error) = await OtherUser.RunAsync("curl", "-sS", "--max-time", "10", "--unix-socket", ControlSocket.PathIn(primary.RuntimeDirectory), "http://primary" + ControlRoutes.Status);
            last = json + error;
            if (exitCode == 0 && JsonSerializer.Deserialize<ClusterStatus>(json, ControlJson.Options) is { } status
                && status.Workers.Count == count && status.Workers.All(w => w is { State: WorkerState.Running, Ready: true }))
            {
                return status.Workers;
            }

            await Task.Delay(200, CancellationToken.None);
        }

        throw new TimeoutException($"The workers never were {count} running and ready; last answer: {last}\n{string.Join('\n', primary.Output.TakeLast(40))}");
    }

    private static async Task<int> StopAsync(PrimaryProcess primary)
    {
        primary.Signal(UnixSignals.SigTerm);
        using var budget = new CancellationTokenSource(s_stopBudget);
        await primary.Process.WaitForExitAsync(budget.Token);
        return primary.Process.ExitCode;
    }

    private static string CreateRoot()
    {
        // Short (Unix socket paths) and open to nobody on the way down: CreateTempSubdirectory makes it 0700.
        var root = Directory.CreateTempSubdirectory("ct-inst-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)Convert.ToInt32("755", 8));
        return root;
    }

    private string InstallReadOnly()
    {
        var install = Path.Combine(_root, "app");
        ReadOnlyInstall.Create(install);
        return install;
    }

    private static string PrimaryIn(string install) => Path.Combine(install, Path.GetFileName(PrimaryProcess.BuildOutputPath));

    /// <summary>Every entry under <paramref name="folder"/> with its size, mode and modification time.</summary>
    private static List<string> Snapshot(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Append(folder)
            .Select(entry => new FileInfo(entry))
            .Select(info => string.Create(CultureInfo.InvariantCulture, $"{info.FullName} {(info.Attributes.HasFlag(FileAttributes.Directory) ? -1 : info.Length)} {info.UnixFileMode} {info.LastWriteTimeUtc.Ticks}"))
            .Order(StringComparer.Ordinal)];

    private static int UidOf(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);

    private static string CommandOf(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0];
}
