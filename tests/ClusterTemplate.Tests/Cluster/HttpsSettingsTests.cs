using System.Globalization;
using ClusterTemplate.Tests.Tls;
using ClusterTemplate.TestSupport;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// A certificate that cannot serve TLS, or HTTPS settings that do not fit together, stop the primary before it starts
/// anything: one line naming the setting, exit code 2.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class HttpsSettingsTests
{
    private const string Path = "--Kestrel:Certificates:Default:Path=";
    private const string KeyPath = "--Kestrel:Certificates:Default:KeyPath=";
    private const string Password = "--Kestrel:Certificates:Default:Password=";

    [Fact]
    public async Task A_certificate_file_that_does_not_exist()
    {
        using var certificates = new TestCertificates();
        var missing = certificates.PathOf("missing.crt");

        await AssertRefusedAsync($"error: Kestrel:Certificates:Default:Path: certificate file '{missing}' does not exist.", Path + missing);
    }

    [Fact]
    public async Task A_file_that_is_no_certificate()
    {
        using var certificates = new TestCertificates();
        var notACertificate = certificates.Write("notes.crt", "not a certificate\n");
        var (_, key) = await certificates.PemAsync("real");

        await AssertRefusedAsync($"error: Kestrel:Certificates:Default:Path: '{notACertificate}' is not a PEM or PFX certificate.", Path + notACertificate, KeyPath + key);
    }

    [Fact]
    public async Task A_pfx_with_the_wrong_password()
    {
        using var certificates = new TestCertificates();
        var pfx = await certificates.PfxAsync("site", "right");

        await AssertRefusedAsync($"error: Kestrel:Certificates:Default:Password does not open '{pfx}': the password is wrong.", Path + pfx, Password + "wrong");
    }

    [Fact]
    public async Task An_expired_certificate()
    {
        using var certificates = new TestCertificates();
        var (certificate, key) = await certificates.ExpiredPemAsync("old");

        var stderr = await RefusedAsync(Path + certificate, KeyPath + key);

        Assert.Matches($@"^error: Kestrel:Certificates:Default:Path: the certificate in '{System.Text.RegularExpressions.Regex.Escape(certificate)}' \(CN=old\) expired on [0-9-]+ [0-9:]+ UTC; renew it\.$", stderr);
    }

    [Fact]
    public async Task A_key_of_another_certificate()
    {
        using var certificates = new TestCertificates();
        var (certificate, _) = await certificates.PemAsync("site");
        var (_, otherKey) = await certificates.PemAsync("other");

        await AssertRefusedAsync($"error: Kestrel:Certificates:Default:KeyPath: the key in '{otherKey}' does not match the certificate in '{certificate}'.", Path + certificate, KeyPath + otherKey);
    }

    [Fact]
    public async Task A_pem_certificate_without_its_key()
    {
        using var certificates = new TestCertificates();
        var (certificate, _) = await certificates.PemAsync("site");

        await AssertRefusedAsync(
            $"error: Kestrel:Certificates:Default:KeyPath is not set and '{certificate}' holds no private key; set it to the certificate's PEM key file.", Path + certificate);
    }

    [Fact]
    public async Task A_key_without_a_certificate()
    {
        using var certificates = new TestCertificates();
        var (_, key) = await certificates.PemAsync("site");

        await AssertRefusedAsync(
            "error: Kestrel:Certificates:Default:Path must name the certificate (a PEM or PFX file) when Kestrel:Certificates:Default:KeyPath is set.", KeyPath + key);
    }

    [Fact]
    public async Task Http1_and_http2_on_one_port_without_tls()
    {
        await AssertRefusedAsync(
            "error: Cluster:Protocols Http1AndHttp2 needs TLS (ALPN chooses the protocol): set Kestrel:Certificates:Default:Path, or choose Http1, or Http2 for HTTP/2 in clear text (h2c).",
            "--protocols", "Http1AndHttp2");
    }

    [Fact]
    public async Task Protocols_it_does_not_know()
    {
        await AssertRefusedAsync("error: Cluster:Protocols must be Http1, Http2 or Http1AndHttp2 (got 'Http3').", "--protocols", "Http3");
    }

    [Fact]
    public async Task An_address_that_is_no_ip_address()
    {
        await AssertRefusedAsync("error: Cluster:Address must be an IP address such as 127.0.0.1 or ::1, or * for every interface (got 'example.com').", "--address", "example.com");
    }

    private static async Task AssertRefusedAsync(string expected, params string[] args) => Assert.Equal(expected, await RefusedAsync(args));

    private static async Task<string> RefusedAsync(params string[] args)
    {
        var runtimeDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ct-" + Guid.NewGuid().ToString("N")[..12]);
        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(
            [.. args, "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--runtime-directory", runtimeDirectory]);

        Assert.Equal(2, exitCode);
        Assert.False(Directory.Exists(runtimeDirectory), "nothing may be started for a refused configuration");
        return stderr.Trim();
    }
}
