using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;

namespace ClusterTemplate.ServiceDefaults.Cluster.Tls;

/// <summary>
/// The certificate the public port serves now. Kestrel asks it for the certificate on every handshake
/// (<c>ServerCertificateSelector</c>), so <see cref="Reload"/> swaps it for the next handshake without touching
/// the connections already open, and a certificate renewed on disk is served without a restart.
/// </summary>
public sealed class ServerCertificateHolder : IDisposable
{
    private X509Certificate2 _current;

    private ServerCertificateHolder(ServerCertificateFiles files, X509Certificate2 certificate)
    {
        Files = files;
        _current = certificate;
    }

    /// <summary>The files the certificate is read from.</summary>
    public ServerCertificateFiles Files { get; }

    /// <summary>The certificate served to the next handshake.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>Loads the certificate from <paramref name="files"/>; throws with the one-line problem when it cannot.</summary>
    public static ServerCertificateHolder Load(ServerCertificateFiles files, TimeProvider time) =>
        new(files, ServerCertificateLoader.TryLoad(files, time.GetUtcNow(), out var problem) ?? throw new InvalidOperationException(problem));

    /// <summary>
    /// Reads the files again and serves what they hold from the next handshake on. When they cannot serve TLS, the
    /// current certificate stays and the problem is returned; <see langword="null"/> when the new one is served.
    /// </summary>
    public string? Reload(TimeProvider time)
    {
        if (ServerCertificateLoader.TryLoad(Files, time.GetUtcNow(), out var problem) is not { } certificate)
        {
            return problem;
        }

        // The old one is not disposed: a handshake that picked it a moment ago may still be using it.
        Volatile.Write(ref _current, certificate);
        return null;
    }

    /// <inheritdoc />
    public void Dispose() => Current.Dispose();
}
