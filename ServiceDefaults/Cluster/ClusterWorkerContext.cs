using System;
using System.Globalization;
using ClusterTemplate.ServiceDefaults.Cluster.Tls;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Who this process is inside the cluster, read once from the environment the primary set.
/// Registered as a singleton by <c>AddServiceDefaults()</c>; standalone processes get worker id 0.
/// </summary>
public sealed class ClusterWorkerContext
{
    /// <summary>The slot number (1..N) under a primary; 0 when the app runs alone.</summary>
    public int WorkerId { get; init; }

    /// <summary>How many times this slot has been started, 1 for the first start; 0 when alone.</summary>
    public int Generation { get; init; }

    /// <summary>This process's id.</summary>
    public int ProcessId { get; init; } = Environment.ProcessId;

    /// <summary>Whether a primary started this process as one of its workers (not as its init run).</summary>
    public bool IsUnderPrimary => WorkerId > 0;

    /// <summary>
    /// Whether the primary started this process as its one-time init run (<c>Cluster:Init:When</c>): it must do the
    /// app's one-time work (migrations, schema set-up) and exit, without serving. See <c>RunClusterInitAsync</c>.
    /// </summary>
    public bool IsInit { get; init; }

    /// <summary>Whether the primary runs the init itself before starting workers, so a worker must not run it again.</summary>
    public bool InitByPrimary { get; init; }

    /// <summary>The process id of the primary that started this worker; 0 when alone or not told.</summary>
    public int PrimaryProcessId { get; init; }

    /// <summary>How public traffic reaches this worker: the name of a listener mode (<see cref="Listeners.ListenerModeNames"/>); empty when alone.</summary>
    public string Mode { get; init; } = "";

    /// <summary>The public port to bind with SO_REUSEPORT in the reuseport and shared modes.</summary>
    public int Port { get; init; }

    /// <summary>The IP address the public port is bound on in the reuseport mode; empty for every address.</summary>
    public string Address { get; init; } = "";

    /// <summary>What the public port speaks (<c>Cluster:Protocols</c>); <see langword="null"/> for the default.</summary>
    public string? Protocols { get; init; }

    /// <summary>The certificate of the public port when this worker terminates TLS; <see langword="null"/> for plain HTTP.</summary>
    public ServerCertificateFiles? Certificate { get; init; }

    /// <summary>The descriptor of the inherited listening socket in the shared mode.</summary>
    public int ListenFileDescriptor { get; init; }

    /// <summary>The shared mode's accept load board (<see cref="ClusterEnvironment.AcceptLoadBoard"/>); <see langword="null"/> without one.</summary>
    public string? AcceptLoadBoardPath { get; init; }

    /// <summary>The Unix domain socket path of the private management endpoint, when under a primary.</summary>
    public string? ManagementSocketPath { get; init; }

    /// <summary>In proxy mode, the Unix domain socket to serve the public endpoint on (<see cref="ClusterEnvironment.ProxySocket"/>); else <see langword="null"/>.</summary>
    public string? ProxySocketPath { get; init; }

    /// <summary>The liveness heartbeat file (<see cref="ClusterEnvironment.HeartbeatFile"/>), when under a primary.</summary>
    public string? HeartbeatFile { get; init; }

    /// <summary>How long in-flight requests may run once the worker is asked to stop.</summary>
    public TimeSpan DrainTimeout { get; init; } = DrainBudget.DefaultTimeout;

    /// <summary>The budgets derived from <see cref="DrainTimeout"/>.</summary>
    public DrainBudget Drain => new(DrainTimeout);

    /// <summary>Whether the test-only fault-injection endpoints are mapped.</summary>
    public bool FaultInjection { get; init; }

    /// <summary>Test-only: whether fault injection keeps this worker from ever reporting ready.</summary>
    public bool FaultNeverReady { get; init; }

    /// <summary>The context of the app being built, read from the environment once and kept in the builder's properties.</summary>
    public static ClusterWorkerContext For(Microsoft.Extensions.Hosting.IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(typeof(ClusterWorkerContext), out var known) && known is ClusterWorkerContext context)
        {
            return context;
        }

        context = FromEnvironment();
        builder.Properties[typeof(ClusterWorkerContext)] = context;
        return context;
    }

    /// <summary>Reads the context from environment variables (see <see cref="ClusterEnvironment"/>).</summary>
    public static ClusterWorkerContext FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var workerId = ParseInt(read(ClusterEnvironment.WorkerId));
        var faultInjection = IsTrue(read(ClusterEnvironment.FaultInjection));
        if (string.Equals(read(ClusterEnvironment.Role), ClusterEnvironment.InitRole, StringComparison.Ordinal))
        {
            return new ClusterWorkerContext
            {
                IsInit = true,
                InitByPrimary = true,
                PrimaryProcessId = ParseInt(read(ClusterEnvironment.PrimaryProcessId)),
                FaultInjection = faultInjection,
            };
        }

        if (workerId <= 0)
        {
            return new ClusterWorkerContext { FaultInjection = faultInjection };
        }

        var generation = Math.Max(1, ParseInt(read(ClusterEnvironment.Generation)));

        var drainTimeout = double.TryParse(read(ClusterEnvironment.DrainTimeoutSeconds), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DrainBudget.DefaultTimeout;

        return new ClusterWorkerContext
        {
            WorkerId = workerId,
            Generation = generation,
            PrimaryProcessId = ParseInt(read(ClusterEnvironment.PrimaryProcessId)),
            InitByPrimary = IsTrue(read(ClusterEnvironment.InitByPrimary)),
            Mode = read(ClusterEnvironment.Mode) ?? "",
            ListenFileDescriptor = ParseInt(read(ClusterEnvironment.ListenFileDescriptor)),
            Port = ParseInt(read(ClusterEnvironment.Port)),
            Address = read(ClusterEnvironment.Address) ?? "",
            Protocols = read(ClusterEnvironment.Protocols),
            Certificate = read(ClusterEnvironment.CertificatePath) is { Length: > 0 } certificatePath
                ? new ServerCertificateFiles(certificatePath, read(ClusterEnvironment.CertificateKeyPath) is { Length: > 0 } keyPath ? keyPath : null, read(ClusterEnvironment.CertificatePassword))
                : null,
            AcceptLoadBoardPath = read(ClusterEnvironment.AcceptLoadBoard) is { Length: > 0 } board ? board : null,
            ManagementSocketPath = read(ClusterEnvironment.ManagementSocket),
            ProxySocketPath = read(ClusterEnvironment.ProxySocket) is { Length: > 0 } proxySocket ? proxySocket : null,
            HeartbeatFile = read(ClusterEnvironment.HeartbeatFile),
            DrainTimeout = drainTimeout,
            FaultInjection = faultInjection,
            FaultNeverReady = faultInjection
                && ParseInt(read(ClusterEnvironment.FaultUnreadyFromGeneration)) is > 0 and var unreadyFrom
                && generation >= unreadyFrom,
        };
    }

    private static int ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : 0;

    private static bool IsTrue(string? value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";
}
