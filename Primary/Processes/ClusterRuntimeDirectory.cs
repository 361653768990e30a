using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// The primary's private folder (mode 0700, of its own user) for the workers' management and proxy sockets, its control
/// socket and the cluster's lock. Named after the public port by default, so a client finds it by port.
/// </summary>
/// <remarks>
/// The folder is made with <c>mkdir</c> 0700, or an existing one is taken only if it is a real folder of this
/// user with mode 0700 (<see cref="PrivateFolder"/>); then the lock refuses a second primary (<see cref="ClusterLock"/>).
/// The primary removes only its own sockets and lock file, and the folder only if it made it: a configured
/// folder that already existed keeps everything else in it.
/// </remarks>
public sealed partial class ClusterRuntimeDirectory : IDisposable
{
    private const string AcceptLoadBoardFileName = "accept-load.board";

    private readonly bool _created;
    private readonly IDisposable? _lock;

    /// <summary>
    /// Makes or verifies the folder for the configured port and locks it, removing the sockets a dead primary
    /// left there; throws a <see cref="RuntimeDirectoryException"/> (one line) when it cannot be used.
    /// </summary>
    public ClusterRuntimeDirectory(IOptions<ClusterOptions> options)
    {
        Path = Resolve(options.Value.RuntimeDirectory, options.Value.Port);
        if (OperatingSystem.IsWindows())
        {
            // No reuseport on Windows: the primary holds the port itself, so the port check keeps a second one out.
            _created = !Directory.Exists(Path);
            CreateOnWindows(Path);
            return;
        }

        _created = PrivateFolder.Ensure(Path);
        try
        {
            _lock = ClusterLock.Acquire(Path, options.Value.Port);
        }
        catch (RuntimeDirectoryException) when (_created)
        {
            // Only if still empty: a primary that took the folder in the meantime has its lock file in it.
            RemoveFolderIfEmpty();
            throw;
        }

        RemoveOwnSockets();
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Where the primary serves control requests.</summary>
    public string ControlSocketPath => ControlSocket.PathIn(Path);

    /// <summary>The folder a primary on <paramref name="port"/> uses, for clients that look for it.</summary>
    public static string Resolve(string? configured, int port) =>
        string.IsNullOrWhiteSpace(configured) ? ControlSocket.DefaultRuntimeDirectory(port) : System.IO.Path.GetFullPath(configured);

    /// <summary>The liveness heartbeat file of one worker process (see <c>ClusterEnvironment.HeartbeatFile</c>).</summary>
    public string HeartbeatPath(int workerId, int generation) =>
        System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"worker-{workerId}-{generation}.heartbeat"));

    /// <summary>The management socket of one worker process (a new path per generation, so no stale file is reused).</summary>
    public string ManagementSocketPath(int workerId, int generation) =>
        System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"worker-{workerId}-{generation}.sock"));

    /// <summary>Where the accept load board of a primary whose folder is <paramref name="folder"/> lives.</summary>
    public static string AcceptLoadBoardPathIn(string folder) => System.IO.Path.Combine(folder, AcceptLoadBoardFileName);

    /// <summary>
    /// The socket a worker serves its public endpoint on in proxy mode (see <c>ClusterEnvironment.ProxySocket</c>):
    /// in this private folder, so only the primary's user can reach it, and a new path per generation, like the management socket.
    /// </summary>
    public string ProxySocketPath(int workerId, int generation) =>
        System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"worker-{workerId}-{generation}.http.sock"));

    /// <summary>Removes the primary's sockets and lock file, and the folder if this primary made it and nothing else is in it.</summary>
    public void Dispose()
    {
        if (OperatingSystem.IsWindows())
        {
            if (_created)
            {
                try
                {
                    Directory.Delete(Path, recursive: true);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                }
            }

            return;
        }

        try
        {
            RemoveOwnSockets();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The folder went away or cannot be read: nothing of this primary's is left to remove.
        }

        _lock?.Dispose();
        if (_created)
        {
            RemoveFolderIfEmpty();
        }
    }

    private void RemoveFolderIfEmpty()
    {
        try
        {
            Directory.Delete(Path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Something else is in it: it stays.
        }
    }

    private static void CreateOnWindows(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeDirectoryException($"Cluster:RuntimeDirectory '{path}' cannot be created: {exception.Message.TrimEnd('.')}.");
        }
    }

    /// <summary>
    /// Deletes the sockets and worker heartbeat files of this primary's names (a dead primary's, or this one's at
    /// stop), and nothing else.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private void RemoveOwnSockets()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path))
        {
            var name = System.IO.Path.GetFileName(entry);
            var socket = name == ControlSocket.FileName || OwnSocketName().IsMatch(name);
            var file = OwnHeartbeatName().IsMatch(name) || name == AcceptLoadBoardFileName;
            if ((socket || file)
                && UnixFiles.TryGetStatus(entry, followLinks: false, out var status) == 0
                && (socket ? status.Kind == UnixFileKind.Socket || !OperatingSystem.IsLinux() : status.Kind == UnixFileKind.Other))
            {
                File.Delete(entry);
            }
        }
    }

    [GeneratedRegex(@"^worker-[0-9]+-[0-9]+(\.http)?\.sock$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnSocketName();

    [GeneratedRegex(@"^worker-[0-9]+-[0-9]+\.heartbeat$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnHeartbeatName();
}
