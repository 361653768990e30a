using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Hosting.Control;

/// <summary>
/// Talks to a primary over its control socket (a Unix domain socket in the primary's 0700 runtime
/// folder): nothing of it is reachable from the network.
/// </summary>
internal sealed class ClusterControlClient(string socketPath) : IDisposable
{
    /// <summary>How long one status request to the primary may take.</summary>
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http = UnixDomainSocketHttp.CreateClient(socketPath, authority: "cluster-control");

    public async Task<ClusterStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_requestTimeout);
        var status = await _http.GetFromJsonAsync<ClusterStatus>(ControlRoutes.Status, ControlJson.Options, timeout.Token).ConfigureAwait(false);
        return status ?? throw new InvalidDataException("The primary answered the status request with null.");
    }

    /// <summary>Lifecycle events as the primary publishes them, until the stream ends or is cancelled.</summary>
    public IAsyncEnumerable<WorkerLifecycleEvent> WatchEventsAsync(CancellationToken cancellationToken) =>
        ReadLinesAsync<WorkerLifecycleEvent>(ControlRoutes.Events, cancellationToken);

    /// <summary>The workers' output lines after <paramref name="after"/> that the primary still holds, then each new one, until the stream ends or is cancelled.</summary>
    public IAsyncEnumerable<WorkerOutputLine> WatchOutputAsync(long after, CancellationToken cancellationToken) =>
        ReadLinesAsync<WorkerOutputLine>(ControlRoutes.OutputAfter(after), cancellationToken);

    public Task<ClusterOperationResult> RestartWorkerAsync(int workerId, CancellationToken cancellationToken) =>
        PostAsync(ControlRoutes.RestartWorkerWithId(workerId), cancellationToken);

    public Task<ClusterOperationResult> RollingRestartAsync(CancellationToken cancellationToken) =>
        PostAsync(ControlRoutes.Reload, cancellationToken);

    public Task<ClusterOperationResult> ScaleAsync(int workers, CancellationToken cancellationToken) =>
        PostAsync(ControlRoutes.ScaleTo(workers), cancellationToken);

    public void Dispose() => _http.Dispose();

    private async IAsyncEnumerable<T> ReadLinesAsync<T>(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0 && JsonSerializer.Deserialize<T>(line, ControlJson.Options) is { } item)
            {
                yield return item;
            }
        }
    }

    private async Task<ClusterOperationResult> PostAsync(string path, CancellationToken cancellationToken)
    {
        // No request timeout here: a rolling restart waits for every replacement to be ready.
        using var response = await _http.PostAsync(path, content: null, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType is not "application/json")
        {
            return new ClusterOperationResult(false, string.Create(CultureInfo.InvariantCulture, $"the primary answered {(int)response.StatusCode} {response.ReasonPhrase}"));
        }

        var result = await response.Content.ReadFromJsonAsync<ClusterOperationResult>(ControlJson.Options, cancellationToken).ConfigureAwait(false);
        return result ?? new ClusterOperationResult(false, string.Create(CultureInfo.InvariantCulture, $"the primary answered {(int)response.StatusCode} without a result"));
    }
}
