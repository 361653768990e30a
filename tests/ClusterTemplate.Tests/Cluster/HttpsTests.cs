using System.Net;
using System.Net.Sockets;
using ClusterTemplate.Tests.Tls;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// HTTPS and HTTP/2 on the public port, in every listener mode, with certificates made by openssl and a real TLS client
/// that records the certificate it was shown: the workers terminate TLS in reuseport and shared modes, the primary in proxy mode.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class HttpsTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task A_pem_certificate_serves_http1_and_http2_by_alpn(string mode)
    {
        using var certificates = new TestCertificates();
        var (certificate, key) = await certificates.PemAsync("pem");
        await using var primary = PrimaryProcess.Start(output, workers: 2, mode, CertificateArgs(certificate, key));
        await primary.WaitForRunningAsync(2);
        using var client = new TlsClient();
        var uri = new Uri($"https://127.0.0.1:{primary.Port}/");

        var http1 = await client.GetAsync(uri, HttpVersion.Version11);
        var http2 = await client.GetAsync(uri, HttpVersion.Version20);

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version11), (http1.Status, http1.Version));
        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (http2.Status, http2.Version));
        Assert.StartsWith("Hello from worker ", http1.Body);
        Assert.StartsWith("Hello from worker ", http2.Body);
        Assert.Equal([TestCertificates.Thumbprint(certificate), TestCertificates.Thumbprint(certificate)], client.Seen);
        await Assert.ThrowsAsync<HttpRequestException>(() => PublicClient.GetAsync(primary.BaseAddress));
    }

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task A_pfx_with_its_password_serves_https(string mode)
    {
        using var certificates = new TestCertificates();
        var pfx = await certificates.PfxAsync("pfx", "s3cret");
        await using var primary = PrimaryProcess.Start(output, workers: 1, mode, $"--Kestrel:Certificates:Default:Path={pfx}", "--Kestrel:Certificates:Default:Password=s3cret");
        await primary.WaitForRunningAsync(1);
        using var client = new TlsClient();

        var answer = await client.GetAsync(new Uri($"https://127.0.0.1:{primary.Port}/"), HttpVersion.Version20);

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (answer.Status, answer.Version));
        Assert.Equal([TestCertificates.Thumbprint(certificates.PathOf("pfx.crt"))], client.Seen);
    }

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task Http2_without_a_certificate_is_served_in_clear_text(string mode)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, mode, "--protocols", "Http2");
        await primary.WaitForRunningAsync(1);
        using var client = new TlsClient();

        var answer = await client.GetAsync(primary.BaseAddress, HttpVersion.Version20);

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (answer.Status, answer.Version));
        Assert.StartsWith("Hello from worker ", answer.Body);
    }

    /// <summary>Each mode bound on IPv4 loopback only, and on IPv6 loopback only; the other loopback must be refused.</summary>
    public static TheoryData<string, string, string> Addresses
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var mode in new[] { "reuseport", "shared", "proxy" })
            {
                data.Add(mode, "127.0.0.1", "::1");
                data.Add(mode, "::1", "127.0.0.1");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task The_public_port_listens_on_the_address_given_only(string mode, string address, string other)
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, mode, "--address", address);
        await primary.WaitForRunningAsync(1);

        var answer = await PublicClient.GetAsync(new UriBuilder("http", address, primary.Port).Uri);
        using var elsewhere = new TcpClient(IPAddress.Parse(other).AddressFamily);
        var refused = await Assert.ThrowsAsync<SocketException>(() => elsewhere.ConnectAsync(IPAddress.Parse(other), primary.Port));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private static string[] CertificateArgs(string certificate, string key) =>
        [$"--Kestrel:Certificates:Default:Path={certificate}", $"--Kestrel:Certificates:Default:KeyPath={key}"];
}
