using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>The <c>Cluster</c> settings section: how many workers, where they listen, how they are supervised.</summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Cluster";

    /// <summary>Fewest workers a cluster runs.</summary>
    public const int MinWorkers = 1;

    /// <summary>Most workers a cluster runs.</summary>
    public const int MaxWorkers = 256;

    /// <summary>The longest <see cref="ShutdownDelay"/>: a load balancer that needs more has a check interval too long to drain behind.</summary>
    public static readonly TimeSpan MaxShutdownDelay = TimeSpan.FromMinutes(5);

    /// <summary>Whether a cluster may run <paramref name="workers"/> workers.</summary>
    public static bool IsValidWorkerCount(int workers) => workers is >= MinWorkers and <= MaxWorkers;

    /// <summary>Number of worker processes. Defaults to the processor count.</summary>
    public int Workers { get; set; } = System.Environment.ProcessorCount;

    /// <summary>The public TCP port. Defaults to 8080.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The public port when none is configured.</summary>
    public const int DefaultPort = 8080;

    /// <summary>
    /// How connections reach the workers: <c>reuseport</c>, <c>shared</c> (workers inherit one listening
    /// socket from the primary) or <c>proxy</c>. Defaults to <c>reuseport</c> on Linux and <c>proxy</c> elsewhere.
    /// </summary>
    public string? Mode { get; set; }

    /// <summary>
    /// The worker program: an executable or a <c>.dll</c> run with <c>dotnet</c>. Defaults to the
    /// Worker published beside the primary, or in development to the Worker project's build output.
    /// </summary>
    public string? WorkerPath { get; set; }

    /// <summary>
    /// The folder workers run in, against which the app's relative paths (<c>Filename=app.db</c>) resolve.
    /// Defaults to the primary's own working directory. The app's content root (its <c>appsettings.json</c>,
    /// <c>wwwroot</c>) stays the worker program's folder.
    /// </summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Folder for the per-worker management sockets, the control socket and the cluster's lock: made with mode
    /// 0700, or an existing private folder (0700) of this user, never removed unless the primary made it.
    /// Defaults to <c>$XDG_RUNTIME_DIR/clustertemplate-&lt;port&gt;</c>, else <c>/run/clustertemplate-&lt;port&gt;</c>
    /// for root, else <c>clustertemplate-&lt;uid&gt;/&lt;port&gt;</c> in the temp folder.
    /// </summary>
    public string? RuntimeDirectory { get; set; }

    /// <summary>Time the workers get to finish in-flight requests on a planned stop before they are killed. Defaults to 30 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = DrainBudget.DefaultTimeout;

    /// <summary>The budgets derived from <see cref="DrainTimeout"/>.</summary>
    public DrainBudget Drain => new(DrainTimeout);

    /// <summary>
    /// On SIGTERM, how long the primary keeps its workers serving after <c>/readyz</c> starts answering 503 and before
    /// the drain starts, so a load balancer that polls <c>/readyz</c> takes the node out while it still accepts
    /// connections (kube-apiserver's <c>--shutdown-delay-duration</c>). Set it to the balancer's check interval times
    /// its fall count, plus a margin. Kubernetes needs none: its <c>preStop</c> sleep comes before SIGTERM. Defaults to 0.
    /// </summary>
    public TimeSpan ShutdownDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Sizes each worker's runtime to its share of the machine: <c>DOTNET_PROCESSOR_COUNT</c> = its share of
    /// the cores, no thread-pool spin-waiting (<c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0</c>), and for a
    /// one-core share a 4 MB gen0 budget (<c>DOTNET_GCgen0size=400000</c>) instead of one sized to the whole shared L3
    /// cache, so N runtimes do not each size themselves for, and spin on, every core. Each variable the user set (in
    /// the primary's environment or <see cref="Environment"/>) wins. Defaults to <c>true</c>.
    /// </summary>
    public bool ShareProcessors { get; set; } = true;

    /// <summary>Extra environment variables for every worker.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>
    /// How the proxy picks a worker in <c>proxy</c> mode: a YARP load-balancing policy
    /// (PowerOfTwoChoices, LeastRequests, RoundRobin, Random, FirstAlphabetical). Defaults to PowerOfTwoChoices.
    /// </summary>
    public string LoadBalancing { get; set; } = "PowerOfTwoChoices";

    /// <summary>
    /// In the shared mode, how the workers share the one accept queue: <c>none</c> (the default) leaves it to the kernel,
    /// whichever worker is awake takes the connection; <c>connections</c> has a worker with at least
    /// <c>AcceptBalancer.Slack</c> more open connections than the least loaded other worker leave the next one to it
    /// (waiting at most 10 ms), so a burst of long-lived connections is spread, at a cost to many short ones
    /// (README, "Listener modes"). The other modes ignore it.
    /// </summary>
    public string AcceptBalance { get; set; } = AcceptBalanceModes.None;

    /// <summary>
    /// In <c>proxy</c> mode, how long a worker leaving the cluster stays up after it is taken out of the
    /// destination list and before it is asked to stop, so requests already routed to it reach it. Defaults to 200 ms.
    /// </summary>
    public TimeSpan DeregistrationDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// In <c>reuseport</c> mode, turn on the kernel's listener migration (<c>net.ipv4.tcp_migrate_req</c>) at
    /// start when it is off and the primary may (root). Without it, connections queued on a stopping worker's
    /// listener are reset. Defaults to <c>true</c>.
    /// </summary>
    public bool EnableListenerMigration { get; set; } = true;

    /// <summary>
    /// Pass each worker's output through the primary's standard output, each line prefixed with
    /// <c>[worker N pid P]</c>. The AppHost turns it off: it reads the output from the control socket and shows each
    /// line once, on its worker's row. Defaults to <c>true</c>.
    /// </summary>
    public bool EchoWorkerOutput { get; set; } = true;

    /// <summary>
    /// A TCP address on which the primary serves <c>/healthz</c> and <c>/readyz</c> (and nothing else) for load
    /// balancers and orchestrators: <c>http://127.0.0.1:8081</c>, <c>http://*:8081</c>. Defaults to none: the probes
    /// are then served on the control socket only.
    /// </summary>
    public string? HealthEndpoint { get; set; }

    /// <summary>The one-time init run before the workers start (migrations, schema set-up).</summary>
    public InitOptions Init { get; set; } = new();

    /// <summary>Crash restart backoff and crash-loop guard.</summary>
    public RestartOptions Restart { get; set; } = new();

    /// <summary>Recycling by requests served and by memory.</summary>
    public RecycleOptions Recycle { get; set; } = new();

    /// <summary>Liveness and readiness probing.</summary>
    public HealthProbeOptions Health { get; set; } = new();

    /// <summary>
    /// The IP address the public port is bound on: <c>127.0.0.1</c> behind a local reverse proxy, <c>::1</c>, <c>::</c>, or one
    /// interface's address. Defaults to every interface (<c>*</c>).
    /// </summary>
    public string? Address { get; set; }

    /// <summary>
    /// What the public port speaks, in Kestrel's words: <c>Http1</c>, <c>Http2</c> or <c>Http1AndHttp2</c>. Defaults to
    /// <c>Http1AndHttp2</c> (chosen by ALPN) with a certificate (<c>Kestrel:Certificates:Default</c>), and to <c>Http1</c>
    /// without; <c>Http2</c> without a certificate is HTTP/2 in clear text (h2c).
    /// </summary>
    public string? Protocols { get; set; }

    /// <summary>What <see cref="ClusterSettingsReader"/> could not read; validation reports it with the rules' failures.</summary>
    internal IReadOnlyList<SettingReadError> ReadErrors { get; set; } = [];
}
