using System.Globalization;
using ClusterTemplate.Hosting.Control;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Hosting;

/// <summary>
/// Marks a project resource as a cluster primary and carries what the AppHost passes it: worker
/// count, public port, listener mode, and the runtime folder in which it opens its control socket.
/// </summary>
internal sealed class ClusterAnnotation : IResourceAnnotation, IDisposable
{
    private ClusterControlClient? _client;

    public int Workers { get; set; }

    public int Port { get; set; }

    public ClusterMode Mode { get; set; }

    /// <summary>An explicit runtime folder; by default the one the primary itself would pick for the port.</summary>
    public string? RuntimeDirectory { get; set; }

    /// <summary>The worker table as last read from the primary, or <see langword="null"/> before the first read or after losing it.</summary>
    public ClusterStatus? LatestStatus { get; set; }

    /// <summary>
    /// The runtime folder passed to the primary: by default the primary's own default for the port, so
    /// <c>curl --unix-socket</c> finds an AppHost-run cluster where it finds any other.
    /// </summary>
    public string ResolvedRuntimeDirectory => RuntimeDirectory ?? ControlSocket.DefaultRuntimeDirectory(Port);

    public string ControlSocketPath => ControlSocket.PathIn(ResolvedRuntimeDirectory);

    /// <summary>The control client, created on first use (after the port is final).</summary>
    public ClusterControlClient Client => _client ??= new ClusterControlClient(ControlSocketPath);

    /// <summary>The settings the primary reads, as environment variables.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToEnvironment()
    {
        yield return new("Cluster__Workers", Workers.ToString(CultureInfo.InvariantCulture));
        yield return new("Cluster__Port", Port.ToString(CultureInfo.InvariantCulture));
        yield return new("Cluster__RuntimeDirectory", ResolvedRuntimeDirectory);

        // The AppHost reads the workers' output from the control socket and shows each line once, on its worker's row;
        // echoed by the primary, every line would show twice in the dashboard's "(All)" console view.
        yield return new("Cluster__EchoWorkerOutput", "false");
        if (Mode != ClusterMode.Default)
        {
            yield return new("Cluster__Mode", Mode switch
            {
                ClusterMode.Proxy => ListenerModeNames.Proxy,
                ClusterMode.Shared => ListenerModeNames.Shared,
                _ => ListenerModeNames.ReusePort,
            });
        }
    }

    public void Dispose() => _client?.Dispose();
}
