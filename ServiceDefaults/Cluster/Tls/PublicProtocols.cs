using System;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace ClusterTemplate.ServiceDefaults.Cluster.Tls;

/// <summary>
/// What the public port speaks: HTTP/1.1 and HTTP/2 over TLS (ALPN) when it has a certificate, plain HTTP/1.1 when it
/// does not, or what <c>Cluster:Protocols</c> names with Kestrel's words (<c>Http1</c>, <c>Http2</c>, <c>Http1AndHttp2</c>):
/// <c>Http2</c> without a certificate is HTTP/2 in clear text (h2c, prior knowledge).
/// </summary>
public static class PublicProtocols
{
    /// <summary>What <c>Cluster:Protocols</c> accepts, as its error says it.</summary>
    public const string AcceptedValues = "Http1, Http2 or Http1AndHttp2";

    /// <summary>Reads a <c>Cluster:Protocols</c> value; unset means the default for <paramref name="tls"/>; <see langword="null"/> for a name it does not know.</summary>
    public static HttpProtocols? Parse(string? configured, bool tls)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return tls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
        }

        return configured.Trim().ToLowerInvariant() switch
        {
            "http1" => HttpProtocols.Http1,
            "http2" => HttpProtocols.Http2,
            "http1andhttp2" => HttpProtocols.Http1AndHttp2,
            _ => null,
        };
    }

    /// <summary>
    /// Without TLS there is no ALPN to choose between HTTP/1.1 and HTTP/2 on one port: Kestrel would quietly serve HTTP/1.1 only.
    /// </summary>
    public static bool IsValid(string? configured, bool tls) =>
        Parse(configured, tls) is { } protocols && (tls || protocols != HttpProtocols.Http1AndHttp2);

    /// <summary>
    /// Sets the protocols <paramref name="configured"/> names on a public endpoint (the start-up check refused any other
    /// name; HTTP/1.1 stands in for one all the same) and, with a certificate, terminates TLS with the one
    /// <paramref name="certificate"/> holds.
    /// </summary>
    public static void Apply(ListenOptions listen, string? configured, ServerCertificateHolder? certificate)
    {
        listen.Protocols = Parse(configured, tls: certificate is not null) ?? HttpProtocols.Http1;
        if (certificate is not null)
        {
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => certificate.Current,
                HandshakeTimeout = TimeSpan.FromSeconds(10),
            });
        }
    }
}
