using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Health;

/// <summary>
/// HTTP/1.1 over the worker's Unix domain socket: reachable only by processes of the primary's user, and
/// believed only when the worker process the primary started is the one listening on it (SO_PEERCRED), so a
/// socket left or planted under the worker's socket name can never answer for it.
/// </summary>
internal sealed partial class UnixSocketManagementClient : IWorkerManagementClient
{
    /// <summary>The host name of requests to workers' management sockets, so telemetry can leave them out.</summary>
    public const string Authority = "worker";

    private readonly HttpClient _client;
    private readonly ILogger _logger;
    private int _untrustedLogged;

    public UnixSocketManagementClient(string socketPath, int processId, ILogger logger)
    {
        _logger = logger;
        _client = UnixDomainSocketHttp.CreateClient(socketPath, Authority, server =>
            ProcessLineage.IsSelfOrDescendant(server.ProcessId, processId)
                ? null
                : $"it is served by pid {server.ProcessId}, not by the worker the primary started (pid {processId})");
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
            NoteUntrusted(exception);
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
            NoteUntrusted(exception);
            return null;
        }
    }

    public void Dispose() => _client.Dispose();

    private void NoteUntrusted(Exception exception)
    {
        // Once per worker process: every probe after that fails the same way.
        if (UntrustedPeerException.Find(exception) is { } untrusted && Interlocked.Exchange(ref _untrustedLogged, 1) == 0)
        {
            Log.Untrusted(_logger, untrusted.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Reason} Its probes fail until the worker itself answers", EventName = "UntrustedManagementSocket")]
        public static partial void Untrusted(ILogger logger, string reason);
    }
}

/// <summary>Creates <see cref="UnixSocketManagementClient"/>s.</summary>
internal sealed class UnixSocketManagementClientFactory(ILogger<UnixSocketManagementClient> logger) : IWorkerManagementClientFactory
{
    public IWorkerManagementClient Create(string socketPath, int processId) => new UnixSocketManagementClient(socketPath, processId, logger);
}
