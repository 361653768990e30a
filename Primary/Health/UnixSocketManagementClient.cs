using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Health;

/// <summary>HTTP/1.1 over the worker's Unix domain socket: reachable only by processes of the primary's user.</summary>
internal sealed class UnixSocketManagementClient : IWorkerManagementClient
{
    /// <summary>The host name of requests to workers' management sockets, so telemetry can leave them out.</summary>
    public const string Authority = "worker";

    private readonly HttpClient _client;

    public UnixSocketManagementClient(string socketPath)
    {
        _client = UnixDomainSocketHttp.CreateClient(socketPath, authority: Authority);
    }

    public async Task<bool?> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync(ManagementPaths.Ready, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<WorkerStatusReport?> GetStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetFromJsonAsync<WorkerStatusReport>(ManagementPaths.Info, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>Creates <see cref="UnixSocketManagementClient"/>s.</summary>
internal sealed class UnixSocketManagementClientFactory : IWorkerManagementClientFactory
{
    public IWorkerManagementClient Create(string socketPath) => new UnixSocketManagementClient(socketPath);
}
