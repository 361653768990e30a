using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Control;

/// <summary>A command of the command-line client: its name, its whole-number argument if it takes one, and what it does.</summary>
/// <param name="Name">The command, <c>scale</c>.</param>
/// <param name="Argument">Its argument as usage shows it, <c>&lt;workers&gt;</c>, or <see langword="null"/>.</param>
/// <param name="Accepted">What the argument accepts, as the usage error says it: "a whole number in 1..256".</param>
/// <param name="Summary">What the command does, in one line.</param>
/// <param name="Route">The control route it calls, given its argument.</param>
internal sealed record ControlVerb(string Name, string? Argument, string Accepted, string Summary, Func<int, string> Route)
{
    public static readonly ControlVerb Status = new(
        "status", null, "", "show the worker table: pid, state, readiness, uptime, restarts, requests, memory", _ => ControlRoutes.Status);

    public static readonly ControlVerb Reload = new(
        "reload", null, "", "replace every worker, one at a time, each once its replacement is ready (also: kill -HUP <primary pid>)", _ => ControlRoutes.Reload);

    public static readonly ControlVerb Scale = new(
        "scale", "<workers>", ClusterSettingRules.Workers.Accepted, $"run <workers> workers, {ClusterSettingRules.Workers.Accepted}; scaling down drains the workers removed", ControlRoutes.ScaleTo);

    public static readonly ControlVerb Restart = new(
        "restart", "<worker-id>", "a whole number", "replace worker <worker-id> (its id in status); its replacement starts first", ControlRoutes.RestartWorkerWithId);

    /// <summary>Every command, in the order help lists them.</summary>
    public static readonly IReadOnlyList<ControlVerb> All = [Status, Reload, Scale, Restart];

    /// <summary>The command and its argument: <c>scale &lt;workers&gt;</c>.</summary>
    public string Synopsis => Argument is null ? Name : Name + " " + Argument;

    /// <summary>The command named <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    public static ControlVerb? Find(string name) => All.FirstOrDefault(verb => string.Equals(verb.Name, name, StringComparison.OrdinalIgnoreCase));
}
