using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.ServiceDefaults.Cluster.Tls;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Tls;

/// <summary>
/// Checks the public port's certificate (<c>Kestrel:Certificates:Default</c>) at start, with the <c>Cluster</c> settings: the
/// files exist and can be read, the password opens them, the key matches, the certificate is valid now; and
/// <c>Cluster:Protocols</c> asks for nothing that needs TLS without it. One line for each failure.
/// </summary>
internal sealed class ClusterTlsValidator(PublicCertificate certificate) : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        if (certificate.Check() is { } problem)
        {
            failures.Add(problem);
        }

        if (PublicProtocols.Parse(options.Protocols, tls: true) is not null && !PublicProtocols.IsValid(options.Protocols, certificate.IsConfigured))
        {
            failures.Add($"Cluster:Protocols {options.Protocols} needs TLS (ALPN chooses the protocol): set {ServerCertificateFiles.PathSetting}, or choose Http1, or Http2 for HTTP/2 in clear text (h2c).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
