namespace ClusterTemplate.ServiceDefaults.Cluster.Tls;

/// <summary>
/// Where the public port's certificate is: Kestrel's own <c>Kestrel:Certificates:Default</c> settings, a PEM certificate
/// with its key (<see cref="KeyPath"/>, or the key in the same file) or a PFX with its <see cref="Password"/>.
/// The primary reads and checks them at start and hands them to the workers that terminate TLS themselves.
/// </summary>
/// <param name="Path">The certificate: a PEM (<c>.pem</c>, <c>.crt</c>) or a PFX (<c>.pfx</c>, <c>.p12</c>) file, as an absolute path.</param>
/// <param name="KeyPath">The PEM private key, as an absolute path; <see langword="null"/> for a PFX or a PEM that holds its key.</param>
/// <param name="Password">The PFX's password, or the encrypted PEM key's; <see langword="null"/> for none.</param>
public sealed record ServerCertificateFiles(string Path, string? KeyPath, string? Password)
{
    /// <summary>The configuration section of the certificate, Kestrel's default one.</summary>
    public const string SectionName = "Kestrel:Certificates:Default";

    /// <summary>The certificate file's setting.</summary>
    public const string PathSetting = SectionName + ":Path";

    /// <summary>The PEM key file's setting.</summary>
    public const string KeyPathSetting = SectionName + ":KeyPath";

    /// <summary>The password's setting.</summary>
    public const string PasswordSetting = SectionName + ":Password";

    /// <summary>Whether <see cref="Path"/> names a PKCS#12 file rather than a PEM one.</summary>
    public bool IsPfx => Path.EndsWith(".pfx", System.StringComparison.OrdinalIgnoreCase) || Path.EndsWith(".p12", System.StringComparison.OrdinalIgnoreCase);
}
