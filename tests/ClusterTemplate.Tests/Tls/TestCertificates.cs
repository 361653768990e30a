using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using ClusterTemplate.TestSupport;

namespace ClusterTemplate.Tests.Tls;

/// <summary>
/// Certificates made with the openssl command line, as an operator makes them, in a temp folder of the test's own that
/// goes with it. Each is an EC P-256 key and a self-signed certificate for localhost, 127.0.0.1 and ::1.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(30);

    public string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ct-tls-" + Guid.NewGuid().ToString("N")[..12])).FullName;

    /// <summary>A PEM certificate valid for <paramref name="days"/> days and its separate PEM key.</summary>
    public async Task<(string Certificate, string Key)> PemAsync(string name, int days = 30)
    {
        var (certificate, key) = (PathOf(name + ".crt"), PathOf(name + ".key"));
        await OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", certificate,
            "-subj", "/CN=" + name, "-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture), "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1");
        return (certificate, key);
    }

    /// <summary>A PEM certificate that expired a day ago (<c>-days -1</c>), with its key.</summary>
    public async Task<(string Certificate, string Key)> ExpiredPemAsync(string name)
    {
        var (certificate, key) = (PathOf(name + ".crt"), PathOf(name + ".key"));
        var request = PathOf(name + ".csr");
        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=" + name);
        await OpenSslAsync("x509", "-req", "-in", request, "-signkey", key, "-days", "-1", "-out", certificate);
        return (certificate, key);
    }

    /// <summary>A PFX holding a new certificate and its key, encrypted with <paramref name="password"/>.</summary>
    public async Task<string> PfxAsync(string name, string password)
    {
        var (certificate, key) = await PemAsync(name);
        var pfx = PathOf(name + ".pfx");
        await OpenSslAsync("pkcs12", "-export", "-in", certificate, "-inkey", key, "-out", pfx, "-passout", "pass:" + password);
        return pfx;
    }

    /// <summary>Writes <paramref name="text"/> to a file of this folder.</summary>
    public string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Puts <paramref name="source"/> in place of <paramref name="target"/> in one rename, as certbot and secret mounts do.</summary>
    public void Replace(string source, string target)
    {
        var staged = target + ".new";
        File.Copy(source, staged, overwrite: true);
        File.Move(staged, target, overwrite: true);
    }

    /// <summary>The SHA-1 thumbprint of the certificate in <paramref name="path"/>, as a TLS client sees it.</summary>
    public static string Thumbprint(string path)
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        return certificate.Thumbprint;
    }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static async Task OpenSslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        var (exitCode, _, stderr) = await ProcessRun.ToExitAsync(process, s_budget);
        Assert.True(exitCode == 0, $"openssl {string.Join(' ', args)} exited with {exitCode}: {stderr}");
    }
}
