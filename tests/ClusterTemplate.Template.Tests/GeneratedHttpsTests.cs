using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ClusterTemplate.Template.Tests.Infrastructure;
using ClusterTemplate.TestSupport;

namespace ClusterTemplate.Template.Tests;

/// <summary>
/// <c>dotnet new clustertemplate --https</c>: the app names certs/cluster.pem and certs/cluster.key in the primary's and the
/// AppHost's settings and, with those files made, serves HTTPS with HTTP/2 by ALPN; without the option nothing of it is there.
/// </summary>
[Trait("Category", "Template")]
public sealed class GeneratedHttpsTests(InstalledTemplateFixture template) : IClassFixture<InstalledTemplateFixture>
{
    private const string Name = "Secure";
    private const int Workers = 2;

    [Fact]
    public async Task Https_changes_only_the_certificate_settings_and_the_app_serves_http2_with_the_certificate_in_certs()
    {
        using var work = new TempDirectory("https");
        var port = FreePort.Next();
        var plain = new GeneratedSolution(work.Combine("plain"), new NameForms(Name));
        var secure = new GeneratedSolution(work.Combine("secure"), new NameForms(Name));
        await MakeAsync(plain, port);
        await MakeAsync(secure, port, "--https");

        var differing = TemplateContent.GeneratedFiles(secure.Directory)
            .Where(file => !File.Exists(Path.Combine(plain.Directory, file)) || File.ReadAllText(Path.Combine(plain.Directory, file)) != File.ReadAllText(Path.Combine(secure.Directory, file)));
        Assert.Equal(TemplateContent.GeneratedFiles(plain.Directory), TemplateContent.GeneratedFiles(secure.Directory));
        Assert.Equal([".gitignore", "AppHost/appsettings.json", $"Primary/{Name}.Primary.csproj", "Primary/appsettings.json"], differing.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("Kestrel", File.ReadAllText(plain.PrimaryAppSettings), StringComparison.Ordinal);
        Assert.DoesNotContain("certs", File.ReadAllText(Path.Combine(plain.Directory, ".gitignore")), StringComparison.Ordinal);
        Assert.Contains("\"Path\": \"../certs/cluster.pem\"", File.ReadAllText(Path.Combine(secure.Directory, "AppHost", "appsettings.json")), StringComparison.Ordinal);

        // What `dotnet dev-certs https --export-path certs/cluster.pem --format Pem --no-password` writes, made here so the
        // test needs no development certificate in the user's store: the certificate, and the unencrypted key beside it.
        using var certificate = WriteCertificate(Path.Combine(secure.Directory, "certs"));
        (await GeneratedSolutionCommands.BuildAsync(secure, restore: true)).EnsureSuccess();

        var missing = await DotnetCli.RunAsync(
            [secure.PrimaryAssembly, "--Kestrel:Certificates:Default:Path=certs/none.pem"], secure.PrimaryOutputFolder, Budgets.ClusterStop);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Kestrel:Certificates:Default:Path", missing.Output, StringComparison.Ordinal);
        Assert.Contains("none.pem", missing.Output, StringComparison.Ordinal);

        await using var cluster = ClusterRun.Start(secure, work.Combine("run"));
        await cluster.WaitForReadyWorkersAsync(Workers, Budgets.ClusterReady);

        string? served = null;
        using var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = { RemoteCertificateValidationCallback = (_, remote, _, _) => { served ??= remote?.GetCertHashString(); return true; } },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var uri = new Uri($"https://localhost:{port.ToString(CultureInfo.InvariantCulture)}/");

        using var http2 = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower });
        using var http11 = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact });

        Assert.Equal(HttpStatusCode.OK, http2.StatusCode);
        Assert.Equal(HttpVersion.Version20, http2.Version);
        Assert.Equal(HttpStatusCode.OK, http11.StatusCode);
        Assert.Equal(HttpVersion.Version11, http11.Version);
        Assert.StartsWith("Hello from worker", await http2.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(certificate.Thumbprint, served);
        await cluster.StopAsync(Budgets.ClusterStop);
    }

    private async Task MakeAsync(GeneratedSolution solution, int port, params string[] options) =>
        (await template.Hive.NewAsync(
            [
                "-n", solution.Name.Identity, "--workers", Workers.ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture),
                "--dashboard-port", "15001", "--otlp-port", "19001", "--resource-service-port", "20001", "--skip-restore", "-o", solution.Directory, .. options,
            ])).EnsureSuccess();

    private static X509Certificate2 WriteCertificate(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "cluster.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "cluster.key"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }
}
