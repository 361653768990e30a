using System.Reflection;
using System.Text;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Control;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using ClusterTemplate.ServiceDefaults.Cluster.Tls;

namespace ClusterTemplate.Primary.CommandLine;

/// <summary>The help of the primary and of each command; what a setting accepts comes from the rule that checks it.</summary>
internal static class UsageText
{
    private static readonly string s_program = typeof(UsageText).Assembly.GetName().Name!;

    /// <summary>What <c>--version</c> prints: the assembly's informational version.</summary>
    public static string Version =>
        typeof(UsageText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The commands as an error lists them: "status, reload, scale &lt;workers&gt;, restart &lt;worker-id&gt;".</summary>
    public static string Commands => string.Join(", ", ControlVerb.All.Select(verb => verb.Synopsis));

    /// <summary><c>--help</c>: how to run a cluster and how to operate one.</summary>
    public static string Primary()
    {
        var text = new StringBuilder();
        text.AppendLine($"Usage: {s_program} [options]              run a cluster: this primary and its workers")
            .AppendLine($"       {s_program} <command> [options]    operate the cluster running on --port")
            .AppendLine()
            .AppendLine("Commands:");
        AppendTable(text, [.. ControlVerb.All.Select(verb => (verb.Synopsis, verb.Summary))]);
        text.AppendLine()
            .AppendLine("Options:");
        AppendTable(
            text,
            [
                ("--workers <count>", $"Cluster:Workers, {ClusterSettingRules.Workers.Accepted}"),
                ("--port <port>", $"Cluster:Port, {ClusterSettingRules.Port.Accepted}"),
                ("--mode <mode>", $"Cluster:Mode, {Modes} (default here: {ListenerModeSelector.DefaultName})"),
                ("--load-balancing <policy>", $"Cluster:LoadBalancing, {LoadBalancingPolicies.AcceptedValues}"),
                ("--accept-balance <how>", $"Cluster:AcceptBalance, {AcceptBalanceModes.AcceptedValues} (default: none): in shared mode, connections has a busier worker leave the next connection to a less busy one"),
                ("--worker-path <path>", "Cluster:WorkerPath, the worker's executable or .dll (default: found beside the primary)"),
                ("--working-directory <path>", "Cluster:WorkingDirectory, the folder workers run in (default: the primary's)"),
                ("--drain-timeout <time>", $"Cluster:DrainTimeout, {ClusterSettingRules.DrainTimeout.Accepted}"),
                ("--shutdown-delay <time>", $"Cluster:ShutdownDelay, {ClusterSettingRules.ShutdownDelay.Accepted}: keep serving after /readyz fails on SIGTERM"),
                ("--init <when>", $"Cluster:Init:When, {InitSchedule.AcceptedValues}: run the worker program once (CLUSTER_ROLE=init) before the workers"),
                ("--runtime-directory <path>", "Cluster:RuntimeDirectory, the folder of the control and management sockets"),
                ("--health-endpoint <url>", $"Cluster:HealthEndpoint, /healthz and /readyz on TCP: {ClusterSettingRules.HealthEndpoint.Accepted}"),
                ("--address <ip>", $"Cluster:Address, {PublicAddress.AcceptedValues} (default: *)"),
                ("--protocols <protocols>", $"Cluster:Protocols, {PublicProtocols.AcceptedValues} (default: Http1AndHttp2 with a certificate, Http1 without)"),
                ("--environment <name>", "the primary's environment (default: Production)"),
                ("--Cluster:<setting>=<value>", "any setting, such as --Cluster:Health:Interval=00:00:05 (README.md, Settings)"),
                ("--<section>:<key>=<value>", "any other configuration, such as --Logging:LogLevel:Default=Debug"),
                ("-h, --help", "show this help; <command> --help shows a command's"),
                ("--version", "show the version"),
            ]);
        return text.AppendLine()
            .AppendLine("Settings come from appsettings.json beside the program, then the environment (Cluster__Workers=4), then these options.")
            .AppendLine("Exit codes: 0 done; 1 a command failed, found no primary, or the cluster init failed; 2 bad usage or settings (nothing started).")
            .ToString();
    }

    /// <summary><c>&lt;command&gt; --help</c>: one command's usage.</summary>
    public static string For(ControlVerb verb)
    {
        var text = new StringBuilder();
        var json = verb == ControlVerb.Status ? $" [{PrimaryCommandLine.JsonFlag}]" : "";
        text.AppendLine($"Usage: {s_program} {verb.Synopsis} [--port <port>] [--runtime-directory <path>]{json}")
            .AppendLine()
            .AppendLine(char.ToUpperInvariant(verb.Summary[0]) + verb.Summary[1..] + ".")
            .AppendLine()
            .AppendLine("Options:");
        AppendTable(
            text,
            [
                ("--port <port>", $"the running primary's Cluster:Port (default: the configured one, else {ClusterOptions.DefaultPort}; with none running there, the only primary of yours that runs)"),
                ("--runtime-directory <path>", "its Cluster:RuntimeDirectory, if it was started with one"),
                .. verb == ControlVerb.Status ? [(PrimaryCommandLine.JsonFlag, "print the status as JSON (the control API's answer), for scripts")] : Array.Empty<(string, string)>(),
                ("-h, --help", "show this help"),
            ]);
        return text.AppendLine()
            .AppendLine("Exit codes: 0 done; 1 failed, or no primary runs on the port; 2 bad usage.")
            .ToString();
    }

    /// <summary>"reuseport, shared or proxy"; the command-line tests hold it to the modes the primary registers.</summary>
    private static string Modes => $"{ListenerModeNames.ReusePort}, {ListenerModeNames.Shared} or {ListenerModeNames.Proxy}";

    private static void AppendTable(StringBuilder text, IReadOnlyCollection<(string Left, string Right)> rows)
    {
        var width = rows.Max(row => row.Left.Length) + 2;
        foreach (var (left, right) in rows)
        {
            text.Append("  ").Append(left.PadRight(width)).AppendLine(right);
        }
    }
}
