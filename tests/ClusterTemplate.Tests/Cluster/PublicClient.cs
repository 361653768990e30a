using System.Globalization;
using System.Net;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>Requests to the cluster's public port, each on a fresh connection unless told otherwise.</summary>
internal static class PublicClient
{
    public sealed record Answer(HttpStatusCode Status, int WorkerId, int ProcessId, string Body);

    private static readonly HttpClient s_client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<Answer> SendAsync(Uri baseAddress, HttpMethod method, string path, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
        request.Headers.ConnectionClose = true;
        using var response = await s_client.SendAsync(request, cancellationToken);
        return new Answer(response.StatusCode, Header(response, "X-Cluster-Worker-Id"), Header(response, "X-Cluster-Worker-Pid"), await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static Task<Answer> GetAsync(Uri baseAddress, string path = "/", CancellationToken cancellationToken = default) =>
        SendAsync(baseAddress, HttpMethod.Get, path, cancellationToken);

    /// <summary>Sends fresh-connection requests until <paramref name="expected"/> distinct pids answered, or the budget is spent.</summary>
    public static async Task<HashSet<int>> CollectPidsAsync(Uri baseAddress, int expected, int maxRequests = 400)
    {
        var pids = new HashSet<int>();
        for (var i = 0; i < maxRequests && pids.Count < expected; i++)
        {
            var answer = await GetAsync(baseAddress);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal($"Hello from worker {answer.WorkerId} (pid {answer.ProcessId})", answer.Body);
            pids.Add(answer.ProcessId);
        }

        return pids;
    }

    private static int Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
