namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The environment contract between the primary and the workers it starts.
/// The primary sets these variables on every worker process; a process without
/// <see cref="WorkerId"/> runs as a plain, single-process app.
/// </summary>
public static class ClusterEnvironment
{
    /// <summary>The primary's process id: a worker on Linux checks that it is its parent when it asks to die with it.</summary>
    public const string PrimaryProcessId = "CLUSTER_PRIMARY_PID";

    /// <summary>
    /// <c>init</c> on the primary's one-time init run (<c>Cluster:Init:When</c>): the worker program started once, without a
    /// slot, listener or management socket, before the workers (or a rollout); it does its one-time work and exits, 0 for success.
    /// </summary>
    public const string Role = "CLUSTER_ROLE";

    /// <summary>The value of <see cref="Role"/> on the init run.</summary>
    public const string InitRole = "init";

    /// <summary><c>true</c> when the primary runs the init before the workers start, so a worker skips it.</summary>
    public const string InitByPrimary = "CLUSTER_INIT_BY_PRIMARY";

    /// <summary>The worker's slot number, 1..N. Its presence means "running under a primary".</summary>
    public const string WorkerId = "CLUSTER_WORKER_ID";

    /// <summary>How many times the slot has been (re)started, starting at 1.</summary>
    public const string Generation = "CLUSTER_WORKER_GENERATION";

    /// <summary>How the worker receives public traffic: <c>reuseport</c>, <c>shared</c> or <c>proxy</c>.</summary>
    public const string Mode = "CLUSTER_MODE";

    /// <summary>The public port (reuseport mode) that every worker binds with SO_REUSEPORT.</summary>
    public const string Port = "CLUSTER_PORT";

    /// <summary>The IP address the public port is bound on (reuseport mode); unset for every address.</summary>
    public const string Address = "CLUSTER_ADDRESS";

    /// <summary>What the public port speaks, in Kestrel's words (<c>Http1</c>, <c>Http2</c>, <c>Http1AndHttp2</c>); unset for the default.</summary>
    public const string Protocols = "CLUSTER_PROTOCOLS";

    /// <summary>The certificate file (PEM or PFX) of a worker that terminates TLS on the public port; unset for plain HTTP.</summary>
    public const string CertificatePath = "CLUSTER_CERTIFICATE_PATH";

    /// <summary>The PEM private key file of <see cref="CertificatePath"/>, when it is a separate file.</summary>
    public const string CertificateKeyPath = "CLUSTER_CERTIFICATE_KEY_PATH";

    /// <summary>The password of <see cref="CertificatePath"/> (a PFX) or of its encrypted PEM key.</summary>
    public const string CertificatePassword = "CLUSTER_CERTIFICATE_PASSWORD";

    /// <summary>The descriptor number of the listening socket a worker inherits in shared mode.</summary>
    public const string ListenFileDescriptor = "CLUSTER_LISTEN_FD";

    /// <summary>
    /// The shared mode's accept load board (<see cref="Listeners.Balancing.AcceptLoadBoard"/>) in the primary's private
    /// folder; unset when the workers accept without looking at each other's load (<c>Cluster:AcceptBalance</c> <c>none</c>).
    /// </summary>
    public const string AcceptLoadBoard = "CLUSTER_ACCEPT_LOAD_BOARD";

    /// <summary>The Unix domain socket on which the worker serves its private management endpoint.</summary>
    public const string ManagementSocket = "CLUSTER_MANAGEMENT_SOCKET";

    /// <summary>
    /// In proxy mode, the Unix domain socket on which the worker serves its public endpoint for the primary's proxy;
    /// unset where the primary forwards over loopback TCP instead (Windows), and the worker then reports its port.
    /// </summary>
    public const string ProxySocket = "CLUSTER_PROXY_SOCKET";

    /// <summary>
    /// The file whose modification time the worker sets every <see cref="ProgressHeartbeat.Period"/> while its
    /// thread pool makes progress: the primary's liveness signal, which a busy worker keeps fresh and a stopped
    /// or starved one does not.
    /// </summary>
    public const string HeartbeatFile = "CLUSTER_HEARTBEAT_FILE";

    /// <summary>Seconds the worker gets to finish in-flight requests when asked to stop.</summary>
    public const string DrainTimeoutSeconds = "CLUSTER_DRAIN_TIMEOUT_SECONDS";

    /// <summary>Test-only: with fault injection on, workers of this generation or later never report ready.</summary>
    public const string FaultUnreadyFromGeneration = "CLUSTER_FAULT_UNREADY_FROM_GENERATION";

    /// <summary>When <c>true</c>, the worker maps fault-injection endpoints used by the tests. Off by default.</summary>
    public const string FaultInjection = "CLUSTER_FAULT_INJECTION";
}
