using System.Collections.Concurrent;
using System.Net;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.Tests.Tls;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// A certificate renewed on disk, as certbot or a secret mount renews it, is served after a reload, with not one failed
/// handshake or request under load during the switch, in every listener mode; a renewal that cannot serve is refused.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class CertificateRenewalTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_successBudget = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(ListenerModeData.All), MemberType = typeof(ListenerModeData))]
    public async Task A_certificate_renewed_on_disk_is_served_after_reload_and_no_request_fails(string mode)
    {
        using var certificates = new TestCertificates();
        var expiring = await certificates.PemAsync("expiring", days: 1);
        var renewed = await certificates.PemAsync("renewed", days: 90);
        var (liveCertificate, liveKey) = (certificates.PathOf("live.crt"), certificates.PathOf("live.key"));
        certificates.Replace(expiring.Certificate, liveCertificate);
        certificates.Replace(expiring.Key, liveKey);
        await using var primary = PrimaryProcess.Start(
            output, workers: 2, mode, $"--Kestrel:Certificates:Default:Path={liveCertificate}", $"--Kestrel:Certificates:Default:KeyPath={liveKey}");
        await primary.WaitForRunningAsync(2);
        var https = new Uri($"https://127.0.0.1:{primary.Port}/");
        var seen = new ConcurrentQueue<string>();
        await using var load = new LoadGenerator(https, freshConnections: true, configureHandler: handler => TlsClient.Record(handler, seen));
        await load.WaitForSuccessesAsync(50, s_successBudget);

        certificates.Replace(renewed.Certificate, liveCertificate);
        certificates.Replace(renewed.Key, liveKey);
        var reload = await primary.PostAsync(ControlRoutes.Reload);
        await load.WaitForSuccessesAsync(50, s_successBudget);
        await load.StopAsync();
        using var after = new TlsClient();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await after.GetAsync(https, HttpVersion.Version11)).Status);
        }

        output.WriteLine($"mode {mode}: {load.Succeeded} requests succeeded, {load.Failed} failed, {seen.Count} handshakes");
        Assert.True(reload.Succeeded, reload.Message);
        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Failed + load.Succeeded} requests failed:\n{string.Join('\n', load.Errors)}");
        Assert.Equal(new[] { TestCertificates.Thumbprint(expiring.Certificate), TestCertificates.Thumbprint(renewed.Certificate) }.Order(), seen.Distinct().Order());
        Assert.Equal(TestCertificates.Thumbprint(expiring.Certificate), seen.First());
        Assert.All(after.Seen, thumbprint => Assert.Equal(TestCertificates.Thumbprint(renewed.Certificate), thumbprint));
        Assert.Equal(10, after.Seen.Count);
    }

    [Theory]
    [InlineData("reuseport")]
    [InlineData("proxy")]
    public async Task A_renewal_that_cannot_serve_is_refused_and_the_old_certificate_stays(string mode)
    {
        using var certificates = new TestCertificates();
        var current = await certificates.PemAsync("current");
        var expired = await certificates.ExpiredPemAsync("expired");
        var (liveCertificate, liveKey) = (certificates.PathOf("live.crt"), certificates.PathOf("live.key"));
        certificates.Replace(current.Certificate, liveCertificate);
        certificates.Replace(current.Key, liveKey);
        await using var primary = PrimaryProcess.Start(
            output, workers: 1, mode, $"--Kestrel:Certificates:Default:Path={liveCertificate}", $"--Kestrel:Certificates:Default:KeyPath={liveKey}");
        var before = await primary.WaitForRunningAsync(1);

        certificates.Replace(expired.Certificate, liveCertificate);
        certificates.Replace(expired.Key, liveKey);
        var reload = await primary.PostAsync(ControlRoutes.Reload);
        using var client = new TlsClient();
        var answer = await client.GetAsync(new Uri($"https://127.0.0.1:{primary.Port}/"), HttpVersion.Version20);

        Assert.False(reload.Succeeded);
        Assert.StartsWith($"rolling restart not started: Kestrel:Certificates:Default:Path: the certificate in '{liveCertificate}' (CN=expired) expired on ", reload.Message);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal([TestCertificates.Thumbprint(current.Certificate)], client.Seen);
        Assert.Equal(before.Select(w => w.ProcessId), (await primary.GetStatusAsync()).Workers.Select(w => w.ProcessId));
    }
}
