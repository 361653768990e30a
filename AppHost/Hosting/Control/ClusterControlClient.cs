using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ClusterTemplate.AppHost.Hosting.Control;

/// <summary>
/// Talks to a primary over its control socket (a Unix domain socket in the primary's 0700 runtime
/// folder): nothing of it is reachable from the network.
/// </summary>
internal sealed class ClusterControlClient : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>How long one status request to the primary may take.</summary>
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;

    public ClusterControlClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        // The host name is never resolved: every connection goes to the socket.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://cluster-control/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<ClusterStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_requestTimeout);
        var status = await _http.GetFromJsonAsync<ClusterStatus>("control/status", s_json, timeout.Token).ConfigureAwait(false);
        return status ?? throw new InvalidDataException("The primary answered the status request with null.");
    }

    /// <summary>Lifecycle events as the primary publishes them, until the stream ends or is cancelled.</summary>
    public async IAsyncEnumerable<WorkerEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("control/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0 && JsonSerializer.Deserialize<WorkerEvent>(line, s_json) is { } item)
            {
                yield return item;
            }
        }
    }

    public Task<ClusterOperationResult> RestartWorkerAsync(int workerId, CancellationToken cancellationToken) =>
        PostAsync(string.Create(CultureInfo.InvariantCulture, $"control/workers/{workerId}/restart"), cancellationToken);

    public Task<ClusterOperationResult> RollingRestartAsync(CancellationToken cancellationToken) =>
        PostAsync("control/reload", cancellationToken);

    public Task<ClusterOperationResult> ScaleAsync(int workers, CancellationToken cancellationToken) =>
        PostAsync(string.Create(CultureInfo.InvariantCulture, $"control/scale/{workers}"), cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<ClusterOperationResult> PostAsync(string path, CancellationToken cancellationToken)
    {
        // No request timeout here: a rolling restart waits for every replacement to be ready.
        using var response = await _http.PostAsync(path, content: null, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType is not "application/json")
        {
            return new ClusterOperationResult(false, string.Create(CultureInfo.InvariantCulture, $"the primary answered {(int)response.StatusCode} {response.ReasonPhrase}"));
        }

        var result = await response.Content.ReadFromJsonAsync<ClusterOperationResult>(s_json, cancellationToken).ConfigureAwait(false);
        return result ?? new ClusterOperationResult(false, string.Create(CultureInfo.InvariantCulture, $"the primary answered {(int)response.StatusCode} without a result"));
    }
}
