using ClusterTemplate.ServiceDefaults.Cluster.Tls;

namespace ClusterTemplate.Primary.Tls;

/// <summary>
/// The public port's certificate as the primary knows it: Kestrel's <c>Kestrel:Certificates:Default</c> settings, read once,
/// with relative paths resolved against the primary's folder as Kestrel resolves them against its content root. The primary
/// checks the files at start and before every reload; in proxy mode it serves the certificate itself and swaps it on reload.
/// </summary>
internal sealed class PublicCertificate : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly string? _settingsProblem;
    private ServerCertificateHolder? _holder;

    public PublicCertificate(IConfiguration configuration, IHostEnvironment host, TimeProvider time)
    {
        _time = time;
        Files = Read(configuration.GetSection(ServerCertificateFiles.SectionName), host.ContentRootPath, out _settingsProblem);
    }

    /// <summary>The certificate's files; <see langword="null"/> when the public port serves plain HTTP.</summary>
    public ServerCertificateFiles? Files { get; }

    /// <summary>Whether the public port serves TLS.</summary>
    public bool IsConfigured => Files is not null;

    /// <summary>The certificate the primary serves in proxy mode, loaded on first use; the files were checked at start.</summary>
    public ServerCertificateHolder Holder
    {
        get
        {
            lock (_lock)
            {
                return _holder ??= ServerCertificateHolder.Load(Files ?? throw new InvalidOperationException("No certificate is configured."), _time);
            }
        }
    }

    /// <summary>What keeps the configured certificate from serving TLS now, in one line; <see langword="null"/> when it can (or none is configured).</summary>
    public string? Check()
    {
        if (_settingsProblem is not null || Files is null)
        {
            return _settingsProblem;
        }

        using var certificate = ServerCertificateLoader.TryLoad(Files, _time.GetUtcNow(), out var problem);
        return problem;
    }

    /// <summary>
    /// Before a reload: reads the files again. A certificate the primary serves is swapped for the next handshake; the new
    /// workers will load the same files. Returns what is wrong with them (the current certificate stays), or <see langword="null"/>.
    /// </summary>
    public string? Reload()
    {
        if (Files is null)
        {
            return null;
        }

        lock (_lock)
        {
            return _holder is null ? Check() : _holder.Reload(_time);
        }
    }

    public void Dispose() => _holder?.Dispose();

    private static ServerCertificateFiles? Read(IConfigurationSection section, string baseDirectory, out string? problem)
    {
        problem = null;
        var path = section["Path"];
        var keyPath = section["KeyPath"];
        var password = section["Password"];
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!string.IsNullOrWhiteSpace(keyPath) || !string.IsNullOrEmpty(password))
            {
                problem = $"{ServerCertificateFiles.PathSetting} must name the certificate (a PEM or PFX file) when {(string.IsNullOrWhiteSpace(keyPath) ? ServerCertificateFiles.PasswordSetting : ServerCertificateFiles.KeyPathSetting)} is set.";
            }

            return null;
        }

        return new ServerCertificateFiles(
            Path.GetFullPath(path.Trim(), baseDirectory),
            string.IsNullOrWhiteSpace(keyPath) ? null : Path.GetFullPath(keyPath.Trim(), baseDirectory),
            string.IsNullOrEmpty(password) ? null : password);
    }
}
