using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Proxy;
using ClusterTemplate.Primary.Tls;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using ClusterTemplate.ServiceDefaults.Cluster.Tls;
using ClusterTemplate.Shared.Control;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>
/// The primary serves the public port with YARP and forwards to the ready workers on their Unix domain sockets
/// in the runtime folder (<see cref="WorkerSockets"/>), or on their loopback ports where sockets are not used.
/// A worker leaves the destinations as soon as it is marked stopping, and is asked to stop only after
/// <c>Cluster:DeregistrationDelay</c>, so requests already routed to it still reach it.
/// </summary>
internal sealed class ProxyMode(IOptions<ClusterOptions> options, WorkerDestinations destinations, WorkerSockets sockets, TimeProvider time) : IListenerMode
{
    public string Name => ListenerModeNames.Proxy;

    public string Description => WorkerSockets.Enabled
        ? "the primary serves the port with YARP and forwards to ready workers on their Unix sockets"
        : "the primary serves the port with YARP and forwards to ready workers on loopback";

    public string? UnsupportedReason => null;

    public void Start() => destinations.Update([]);

    // The worker reports no public port here: it serves the primary alone, on its socket or a loopback port.
    public string WorkerEndpoint(int workerId, int generation, int port) => WorkerSockets.Enabled
        ? sockets.PathOf(workerId, generation)
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"127.0.0.1:{port}");

    // The primary terminates TLS: the workers behind it speak HTTP/2 without TLS (h2c), on their socket or on loopback.
    public bool WorkersServePublicPort => false;

    public void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        var certificate = kestrel.ApplicationServices.GetRequiredService<PublicCertificate>();
        var tls = certificate.IsConfigured ? certificate.Holder : null;
        PublicAddress.Listen(kestrel, options.Value.Address, options.Value.Port, listen => PublicProtocols.Apply(listen, options.Value.Protocols, tls));
    }

    public void AddWorkerEnvironment(IDictionary<string, string> environment, int workerId, int generation)
    {
        if (WorkerSockets.Enabled)
        {
            environment[ClusterEnvironment.ProxySocket] = sockets.PathOf(workerId, generation);
        }
    }

    public void OnWorkersChanged(IReadOnlyList<WorkerSnapshot> workers) => destinations.Update(workers);

    public Task BeforeWorkerStopAsync(CancellationToken cancellationToken) =>
        options.Value.DeregistrationDelay > TimeSpan.Zero
            ? Task.Delay(options.Value.DeregistrationDelay, time, cancellationToken)
            : Task.CompletedTask;
}
