using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// Clients sending GETs back to back on keep-alive connections until stopped, as a proxy or a busy service does;
/// every request that does not come back 200 counts as failed, with what went wrong.
/// </summary>
internal sealed class RequestLoad : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<int, int> _answeredBy = new();
    private readonly Task[] _clients;
    private long _succeeded;

    private RequestLoad(Uri target, int concurrency)
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { Timeout = RequestTimeout };
        _clients = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => SendUntilStoppedAsync(target))).ToArray();
    }

    /// <summary>Starts <paramref name="concurrency"/> clients against <paramref name="target"/>.</summary>
    public static RequestLoad Start(Uri target, int concurrency) => new(target, concurrency);

    /// <summary>Waits until a process that <paramref name="answered"/> accepts has answered a request, within <paramref name="budget"/>.</summary>
    public async Task WaitForAnswerAsync(Func<int, bool> answered, TimeSpan budget)
    {
        using var deadline = new CancellationTokenSource(budget);
        while (!_answeredBy.Keys.Any(answered))
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"No expected worker answered within {budget}; answered by {string.Join(", ", _answeredBy.Keys)}, {_failures.Count} failed.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    /// <summary>Stops sending, waits for the requests in flight, and returns what the load saw.</summary>
    public async Task<RequestLoadResult> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        return new RequestLoadResult(Interlocked.Read(ref _succeeded), [.. _failures], new Dictionary<int, int>(_answeredBy));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task SendUntilStoppedAsync(Uri target)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Not cancelled by the stop: a request once sent is seen through, so that it counts.
                using var response = await _client.GetAsync(target, CancellationToken.None);
                await response.Content.LoadIntoBufferAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    _failures.Enqueue($"{(int)response.StatusCode} {response.ReasonPhrase}");
                    continue;
                }

                Interlocked.Increment(ref _succeeded);
                if (response.Headers.TryGetValues(WorkerProcessIdHeader, out var values)
                    && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var processId))
                {
                    _answeredBy.AddOrUpdate(processId, 1, (_, count) => count + 1);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                _failures.Enqueue(exception.GetType().Name + ": " + exception.Message);
            }
        }
    }

    /// <summary>The header every worker's response carries with its process id.</summary>
    public const string WorkerProcessIdHeader = "X-Cluster-Worker-Pid";
}

/// <summary>What a <see cref="RequestLoad"/> saw: requests that came back 200, the failures, and how many each worker process answered.</summary>
internal sealed record RequestLoadResult(long Succeeded, IReadOnlyList<string> Failures, IReadOnlyDictionary<int, int> AnsweredBy);
