using ClusterTemplate.Shared.Control;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>
/// The primary's side of one listener mode: how connections on the public port reach the workers.
/// One object per mode, chosen by name from <c>Cluster:Mode</c> (<see cref="ListenerModeSelector"/>);
/// the worker's side of the same mode is its <c>IWorkerListenerMode</c> of the same name.
/// </summary>
internal interface IListenerMode
{
    /// <summary>The mode's name in <c>Cluster:Mode</c> and <c>CLUSTER_MODE</c>.</summary>
    string Name { get; }

    /// <summary>What the mode does, in the words of the primary's start line.</summary>
    string Description { get; }

    /// <summary>Why this platform cannot run the mode, naming the modes it can; <see langword="null"/> when it can.</summary>
    string? UnsupportedReason { get; }

    /// <summary>Whether the workers serve the public port themselves, so they terminate its TLS. Yes by default.</summary>
    bool WorkersServePublicPort => true;

    /// <summary>Where a ready worker process serves, as the primary's log line and event say it: its port by default.</summary>
    string WorkerEndpoint(int workerId, int generation, int port) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"port {port}");

    /// <summary>Start-up work before the first worker starts (listener migration, the shared socket). Nothing by default.</summary>
    void Start()
    {
    }

    /// <summary>What the primary's own Kestrel listens on besides its control socket. Nothing by default.</summary>
    void ConfigureKestrel(KestrelServerOptions kestrel)
    {
    }

    /// <summary>Adds what a worker process (a slot's generation) needs from this mode to the environment it starts with. Nothing by default.</summary>
    void AddWorkerEnvironment(IDictionary<string, string> environment, int workerId, int generation)
    {
    }

    /// <summary>Called synchronously on every lifecycle event with the worker table, before the supervisor acts on it. Nothing by default.</summary>
    void OnWorkersChanged(IReadOnlyList<WorkerSnapshot> workers)
    {
    }

    /// <summary>Runs after a worker was marked stopping and before it is asked to stop. Nothing by default.</summary>
    Task BeforeWorkerStopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
