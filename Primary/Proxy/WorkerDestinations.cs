using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace ClusterTemplate.Primary.Proxy;

/// <summary>
/// Keeps YARP's destination list equal to the workers that are running and pass their readiness
/// probe. The proxy mode calls it synchronously on every lifecycle event, so a worker leaves the list
/// before the supervisor asks it to stop.
/// </summary>
internal sealed partial class WorkerDestinations(InMemoryConfigProvider proxyConfig, IOptions<ClusterOptions> options, ILogger<WorkerDestinations> logger)
{
    public const string ClusterId = "workers";
    public const string RouteId = "all";

    private readonly Lock _gate = new();
    private string? _current;

    /// <summary>Points the proxy at the ready workers of <paramref name="workers"/>, if that changed.</summary>
    public void Update(IReadOnlyList<WorkerSnapshot> workers)
    {
        lock (_gate)
        {
            // On sockets, a worker's address is known from its generation; on loopback, once it has said its port.
            var ready = workers.Where(worker => worker.Ready && (WorkerSockets.Enabled || worker.Port > 0)).OrderBy(worker => worker.WorkerId).ToArray();
            var key = string.Join(',', ready.Select(Address));
            if (key == _current)
            {
                return;
            }

            _current = key;
            var destinations = ready.ToDictionary(
                worker => "worker-" + worker.WorkerId,
                worker => new DestinationConfig { Address = Address(worker) });

            proxyConfig.Update(
                [new RouteConfig
                {
                    RouteId = RouteId,
                    ClusterId = ClusterId,
                    Match = new RouteMatch { Path = "/{**catch-all}" },

                    // The app sees the Host the client sent, as it does in the other modes, not the worker's socket name.
                    Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
                }],
                [new ClusterConfig
                {
                    ClusterId = ClusterId,
                    LoadBalancingPolicy = LoadBalancingPolicies.Canonical(options.Value.LoadBalancing),
                    Destinations = destinations,

                    // Workers speak only HTTP/2 without TLS (ProxyWorkerMode): with prior knowledge, as nothing can negotiate it.
                    HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig
                    {
                        Version = System.Net.HttpVersion.Version20,
                        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                    },
                }]);
            Log.DestinationsChanged(logger, ready.Length, key);
        }
    }

    private static string Address(WorkerSnapshot worker) => WorkerSockets.Enabled
        ? WorkerSockets.Address(worker.WorkerId, worker.Generation)
        : $"http://127.0.0.1:{worker.Port}";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Proxy destinations: {Count} ready workers ({Destinations})", EventName = "DestinationsChanged")]
        public static partial void DestinationsChanged(ILogger logger, int count, string destinations);
    }
}
