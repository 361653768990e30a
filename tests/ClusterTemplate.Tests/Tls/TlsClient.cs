using System.Collections.Concurrent;
using System.Net;

namespace ClusterTemplate.Tests.Tls;

/// <summary>
/// A real TLS client of the public port: it accepts the test's self-signed certificates and records the thumbprint of
/// each one it was shown, so a test can tell which certificate every handshake got.
/// </summary>
internal sealed class TlsClient : IDisposable
{
    private readonly HttpClient _client;

    public TlsClient(bool freshConnections = true)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = freshConnections ? TimeSpan.Zero : Timeout.InfiniteTimeSpan };
        Record(handler, Seen);
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
    }

    /// <summary>The thumbprint of every certificate presented, in handshake order.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>Makes <paramref name="handler"/> accept any server certificate and add its thumbprint to <paramref name="seen"/>.</summary>
    public static void Record(SocketsHttpHandler handler, ConcurrentQueue<string> seen) =>
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            seen.Enqueue(certificate?.GetCertHashString() ?? "none");
            return certificate is not null;
        };

    /// <summary>GET <paramref name="uri"/> with exactly HTTP <paramref name="version"/> (2.0: ALPN over TLS, prior knowledge without).</summary>
    public async Task<(HttpStatusCode Status, Version Version, string Body)> GetAsync(Uri uri, Version version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, response.Version, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _client.Dispose();
}
