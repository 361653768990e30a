using System.Collections.Concurrent;
using System.Net;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// A bounded client load: a few loops sending GET / back to back until stopped, each on fresh
/// connections or on its own keep-alive connection, counting what succeeded, what failed, and who answered.
/// </summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<int, int> _answersByPid = new();
    private long _succeeded;
    private long _failed;

    /// <summary>A load never runs longer than this, even if a test forgets to stop it.</summary>
    private static readonly TimeSpan s_maxDuration = TimeSpan.FromSeconds(90);

    /// <param name="baseAddress">The cluster's public address.</param>
    /// <param name="freshConnections">Whether every request opens its own connection.</param>
    /// <param name="concurrency">How many loops send at once.</param>
    /// <param name="configureHandler">Sets up each loop's handler further: TLS options, for one.</param>
    public LoadGenerator(Uri baseAddress, bool freshConnections, int concurrency = 4, Action<SocketsHttpHandler>? configureHandler = null)
    {
        _stop.CancelAfter(s_maxDuration);
        _loops = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => RunAsync(baseAddress, freshConnections, configureHandler)))];
    }

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public IReadOnlyCollection<string> Errors => _errors;

    public IReadOnlyDictionary<int, int> AnswersByPid => _answersByPid;

    public async Task WaitForSuccessesAsync(long count, TimeSpan budget)
    {
        using var timeout = new CancellationTokenSource(budget);
        var target = Succeeded + count;
        while (Succeeded < target)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Waits until each of <paramref name="processIds"/> has answered at least once.</summary>
    public async Task WaitForAnswersFromAsync(IEnumerable<int> processIds, TimeSpan budget)
    {
        var expected = processIds.ToHashSet();
        using var timeout = new CancellationTokenSource(budget);
        while (!expected.IsSubsetOf(_answersByPid.Keys))
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Within {budget} only pids {string.Join(", ", _answersByPid.Keys.Intersect(expected))} of {string.Join(", ", expected)} answered.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(Uri baseAddress, bool freshConnections, Action<SocketsHttpHandler>? configureHandler)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = freshConnections ? TimeSpan.Zero : Timeout.InfiniteTimeSpan };
        configureHandler?.Invoke(handler);
        using var client = new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };

        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.ConnectionClose = freshConnections;
                using var response = await client.SendAsync(request, CancellationToken.None);
                await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _succeeded);
                    if (response.Headers.TryGetValues("X-Cluster-Worker-Pid", out var pids) && int.TryParse(pids.First(), out var pid))
                    {
                        _answersByPid.AddOrUpdate(pid, 1, (_, n) => n + 1);
                    }
                }
                else
                {
                    Fail($"HTTP {(int)response.StatusCode}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                Fail(exception.GetBaseException().Message);
            }
        }
    }

    private void Fail(string error)
    {
        Interlocked.Increment(ref _failed);
        if (_errors.Count < 20)
        {
            _errors.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {error}");
        }
    }
}
