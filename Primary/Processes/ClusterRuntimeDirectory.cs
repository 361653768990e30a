using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// The primary's private folder (mode 0700) for the workers' management sockets and its own control
/// socket. Named after the public port, which only one cluster can hold, so a client finds it by port.
/// </summary>
public sealed class ClusterRuntimeDirectory : IDisposable
{
    /// <summary>Creates the folder for the configured port, clearing what a dead primary left there.</summary>
    public ClusterRuntimeDirectory(IOptions<ClusterOptions> options)
    {
        Path = Resolve(options.Value.RuntimeDirectory, options.Value.Port);
        if (Directory.Exists(Path))
        {
            // The port was free, so no live primary owns this folder: its sockets are stale.
            Directory.Delete(Path, recursive: true);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
        }
        else
        {
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
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

    /// <summary>Removes the folder and the sockets in it.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
