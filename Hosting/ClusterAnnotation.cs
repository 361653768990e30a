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

    /// <summary>The worker count <c>WithWorkers</c> set; <see langword="null"/> leaves it to the primary (one per core where it runs).</summary>
    public int? Workers { get; set; }

    /// <summary>The workers a run from the AppHost starts: the explicit count, else one per core of this machine.</summary>
    public int EffectiveWorkers => Workers ?? ClusterResourceBuilderExtensions.DefaultWorkers;

    public int Port { get; set; }

    public ClusterMode Mode { get; set; }

    /// <summary>An explicit runtime folder, as given; by default the one the primary itself would pick for the port.</summary>
    public string? RuntimeDirectory { get; set; }

    /// <summary>The TCP port of the primary's <c>/healthz</c> and <c>/readyz</c> in a published cluster.</summary>
    public int HealthPort { get; set; } = ClusterResourceBuilderExtensions.DefaultHealthPort;

    /// <summary>The worker table as last read from the primary, or <see langword="null"/> before the first read or after losing it.</summary>
    public ClusterStatus? LatestStatus { get; set; }

    /// <summary>
    /// The runtime folder passed to the primary: by default the primary's own default for the port, so
    /// <c>curl --unix-socket</c> finds an AppHost-run cluster where it finds any other.
    /// </summary>
    public string ResolvedRuntimeDirectory => RuntimeDirectory is { } path ? Path.GetFullPath(path) : ControlSocket.DefaultRuntimeDirectory(Port);

    public string ControlSocketPath => ControlSocket.PathIn(ResolvedRuntimeDirectory);

    /// <summary>The control client, created on first use (after the port is final).</summary>
    public ClusterControlClient Client => _client ??= new ClusterControlClient(ControlSocketPath);

    /// <summary>
    /// The settings the primary reads, as environment variables. A run passes this machine's values (the worker count
    /// and runtime folder the dashboard follows); a publish passes only what the AppHost set, for the primary to pick
    /// the rest where it runs.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> ToEnvironment(bool isRunMode)
    {
        if (isRunMode || Workers is not null)
        {
            yield return new("Cluster__Workers", EffectiveWorkers.ToString(CultureInfo.InvariantCulture));
        }

        yield return new("Cluster__Port", Port.ToString(CultureInfo.InvariantCulture));
        if (isRunMode || RuntimeDirectory is not null)
        {
            yield return new("Cluster__RuntimeDirectory", isRunMode ? ResolvedRuntimeDirectory : RuntimeDirectory!);
        }

        // The AppHost reads the workers' output from the control socket and shows each line once, on its worker's row;
        // echoed by the primary, every line would show twice in the dashboard's "(All)" console view. Published, nothing
        // reads the socket: the primary's own output, with the workers' lines, is the container's log.
        if (isRunMode)
        {
            yield return new("Cluster__EchoWorkerOutput", "false");
        }

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
