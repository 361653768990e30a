using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClusterTemplate.ServiceDefaults.Cluster.Tls;

/// <summary>
/// Loads the public port's certificate from its files, or says in one line what is wrong with them, naming the
/// setting: a missing or unreadable file, a wrong password, a key that does not match, an expired certificate.
/// </summary>
public static class ServerCertificateLoader
{
    /// <summary>
    /// Loads the certificate with its private key. Returns <see langword="null"/> and sets <paramref name="problem"/> when
    /// the files cannot serve TLS at <paramref name="now"/>.
    /// </summary>
    public static X509Certificate2? TryLoad(ServerCertificateFiles files, DateTimeOffset now, out string? problem)
    {
        problem = Missing(files.Path, ServerCertificateFiles.PathSetting) ?? (files.KeyPath is { } keyPath ? Missing(keyPath, ServerCertificateFiles.KeyPathSetting) : null);
        if (problem is not null)
        {
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = files.IsPfx ? LoadPfx(files) : LoadPem(files);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            problem = Explain(files, exception);
            return null;
        }

        problem = Unusable(certificate, files, now);
        if (problem is not null)
        {
            certificate.Dispose();
            return null;
        }

        return certificate;
    }

    private static string? Missing(string path, string setting) =>
        File.Exists(path) ? null : $"{setting}: certificate file '{path}' does not exist.";

    private static X509Certificate2 LoadPfx(ServerCertificateFiles files) =>
        X509CertificateLoader.LoadPkcs12FromFile(files.Path, files.Password, X509KeyStorageFlags.EphemeralKeySet);

    private static X509Certificate2 LoadPem(ServerCertificateFiles files)
    {
        var certificate = files.Password is { Length: > 0 } password
            ? X509Certificate2.CreateFromEncryptedPemFile(files.Path, password, files.KeyPath)
            : X509Certificate2.CreateFromPemFile(files.Path, files.KeyPath);
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        // SChannel cannot use the ephemeral key a PEM import makes: Kestrel re-imports it the same way.
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static string Explain(ServerCertificateFiles files, Exception exception)
    {
        if (exception is UnauthorizedAccessException)
        {
            return $"{ServerCertificateFiles.PathSetting}: '{files.Path}' (or its key) cannot be read by this user; give it read access.";
        }

        if (files.IsPfx)
        {
            return CanOpenPfxWithoutPassword(files.Path) is false && files.Password is not null
                ? $"{ServerCertificateFiles.PasswordSetting} does not open '{files.Path}': the password is wrong."
                : $"{ServerCertificateFiles.PathSetting}: '{files.Path}' cannot be read as a PFX file with {(files.Password is null ? "no password; set " + ServerCertificateFiles.PasswordSetting : "this password")} ({OneLine(exception)}).";
        }

        // A PEM: tell a certificate that cannot be read from a key that cannot, and from a key of another certificate.
        X509Certificate2 alone;
        try
        {
            alone = X509CertificateLoader.LoadCertificateFromFile(files.Path);
        }
        catch (CryptographicException)
        {
            return $"{ServerCertificateFiles.PathSetting}: '{files.Path}' is not a PEM or PFX certificate.";
        }

        using (alone)
        {
            var keyFile = files.KeyPath ?? files.Path;
            var keySetting = files.KeyPath is null ? ServerCertificateFiles.PathSetting : ServerCertificateFiles.KeyPathSetting;
            var key = TryReadKey(keyFile, files.Password);
            if (key is null)
            {
                return files.KeyPath is null
                    ? $"{ServerCertificateFiles.KeyPathSetting} is not set and '{files.Path}' holds no private key; set it to the certificate's PEM key file."
                    : $"{keySetting}: '{keyFile}' is not a PEM private key{(files.Password is null ? "" : " that this password opens")}.";
            }

            using (key)
            {
                return $"{keySetting}: the key in '{keyFile}' does not match the certificate in '{files.Path}'.";
            }
        }
    }

    private static bool? CanOpenPfxWithoutPassword(string path)
    {
        try
        {
            X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.EphemeralKeySet).Dispose();
            return true;
        }
        catch (CryptographicException)
        {
            // Encrypted, so a password was wrong rather than the file unreadable, unless it is not a PFX at all.
            return IsPkcs12(path) ? false : null;
        }
    }

    private static bool IsPkcs12(string path)
    {
        try
        {
            return X509Certificate2.GetCertContentType(path) == X509ContentType.Pkcs12;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static AsymmetricAlgorithm? TryReadKey(string path, string? password)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }

        foreach (AsymmetricAlgorithm key in new AsymmetricAlgorithm[] { RSA.Create(), ECDsa.Create() })
        {
            try
            {
                if (password is { Length: > 0 })
                {
                    key.ImportFromEncryptedPem(pem, password);
                }
                else
                {
                    key.ImportFromPem(pem);
                }

                return key;
            }
            catch (Exception exception) when (exception is CryptographicException or ArgumentException)
            {
                key.Dispose();
            }
        }

        return null;
    }

    private static string? Unusable(X509Certificate2 certificate, ServerCertificateFiles files, DateTimeOffset now)
    {
        if (!certificate.HasPrivateKey)
        {
            return files.IsPfx
                ? $"{ServerCertificateFiles.PathSetting}: '{files.Path}' holds no private key; export the PFX with its key."
                : $"{ServerCertificateFiles.KeyPathSetting} is not set and '{files.Path}' holds no private key; set it to the certificate's PEM key file.";
        }

        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            return $"{ServerCertificateFiles.PathSetting}: the certificate in '{files.Path}' ({certificate.Subject}) expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC; renew it.";
        }

        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return $"{ServerCertificateFiles.PathSetting}: the certificate in '{files.Path}' ({certificate.Subject}) is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC.";
        }

        return null;
    }

    private static string OneLine(Exception exception) => exception.Message.ReplaceLineEndings(" ").Trim();
}
