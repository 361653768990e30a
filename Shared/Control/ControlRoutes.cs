using System.Globalization;

namespace ClusterTemplate.Shared.Control;

/// <summary>
/// Routes of the primary's control API: the primary maps them, the command-line client and the AppHost call them.
/// </summary>
public static class ControlRoutes
{
    /// <summary>GET: the worker table, as a <see cref="ClusterStatus"/>.</summary>
    public const string Status = "/control/status";

    /// <summary>GET: <see cref="WorkerLifecycleEvent"/>s as newline-delimited JSON, as they happen.</summary>
    public const string Events = "/control/events";

    /// <summary>
    /// GET <c>/control/output?after={sequence}</c>: every worker's output as <see cref="WorkerOutputLine"/>s, newline-delimited
    /// JSON: the recent lines after <c>sequence</c> that the primary still holds, then each line as it comes.
    /// </summary>
    public const string Output = "/control/output";

    /// <summary>POST: rolling restart of all workers.</summary>
    public const string Reload = "/control/reload";

    /// <summary>POST <c>/control/scale/{count}</c>: scale to a number of workers.</summary>
    public const string Scale = "/control/scale/{count:int}";

    /// <summary>POST <c>/control/workers/{id}/restart</c>: replace one worker.</summary>
    public const string RestartWorker = "/control/workers/{id:int}/restart";

    /// <summary>GET: liveness of the primary and its supervision (200 or 503, a short JSON body); also on <c>Cluster:HealthEndpoint</c>.</summary>
    public const string Liveness = "/healthz";

    /// <summary>GET: readiness, enough workers ready and the primary not stopping (200 or 503, a short JSON body); also on <c>Cluster:HealthEndpoint</c>.</summary>
    public const string Readiness = "/readyz";

    /// <summary>The <see cref="Scale"/> path for <paramref name="count"/> workers.</summary>
    public static string ScaleTo(int count) => string.Create(CultureInfo.InvariantCulture, $"/control/scale/{count}");

    /// <summary>The <see cref="Output"/> path for the lines after <paramref name="sequence"/> (0: every line still held).</summary>
    public static string OutputAfter(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{Output}?after={sequence}");

    /// <summary>The <see cref="RestartWorker"/> path for worker <paramref name="id"/>.</summary>
    public static string RestartWorkerWithId(int id) => string.Create(CultureInfo.InvariantCulture, $"/control/workers/{id}/restart");
}
