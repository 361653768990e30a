using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using ClusterTemplate.ServiceDefaults.Cluster.Tls;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>
/// The rules of the <c>Cluster</c> settings that need nothing but the settings themselves. Those that look
/// at the machine (the mode on this platform, the worker program, the port) run when the host starts.
/// </summary>
internal static class ClusterSettingRules
{
    /// <summary>The worker count, also checked when the cluster is scaled.</summary>
    public static readonly SettingRule Workers = new(
        "Cluster:Workers", $"a whole number in {ClusterOptions.MinWorkers}..{ClusterOptions.MaxWorkers}", o => o.Workers, o => ClusterOptions.IsValidWorkerCount(o.Workers));

    /// <summary>The public port.</summary>
    public static readonly SettingRule Port = new("Cluster:Port", "a whole number in 1..65535", o => o.Port, o => o.Port is >= 1 and <= 65535);

    /// <summary>The drain timeout, also a short switch.</summary>
    public static readonly SettingRule DrainTimeout = new(
        "Cluster:DrainTimeout", "a positive time span such as 00:00:30", o => o.DrainTimeout, o => o.DrainTimeout > TimeSpan.Zero);

    /// <summary>The delay between <c>/readyz</c> failing on SIGTERM and the drain, also a short switch.</summary>
    public static readonly SettingRule ShutdownDelay = new(
        "Cluster:ShutdownDelay", "a time span from 00:00:00 to 00:05:00, such as 00:00:02", o => o.ShutdownDelay,
        o => o.ShutdownDelay >= TimeSpan.Zero && o.ShutdownDelay <= ClusterOptions.MaxShutdownDelay);

    /// <summary>The TCP address of the primary's probes, also a short switch.</summary>
    public static readonly SettingRule HealthEndpoint = new(
        "Cluster:HealthEndpoint", HealthEndpointAddress.AcceptedValues, o => o.HealthEndpoint, o => HealthEndpointAddress.IsValid(o.HealthEndpoint, o.Port));

    /// <summary>The readiness threshold of the primary's <c>/readyz</c>; judged against a worker count that is itself valid.</summary>
    public static readonly SettingRule MinReadyWorkers = new(
        "Cluster:Health:MinReadyWorkers", "a whole number in 1..Cluster:Workers", o => o.Health.MinReadyWorkers,
        o => o.Health.MinReadyWorkers >= 1 && (o.Health.MinReadyWorkers <= o.Workers || !ClusterOptions.IsValidWorkerCount(o.Workers)));

    /// <summary>Every rule, in the order their errors are reported.</summary>
    public static readonly IReadOnlyList<SettingRule> All =
    [
        Workers,
        Port,
        new("Cluster:LoadBalancing", LoadBalancingPolicies.AcceptedValues, o => o.LoadBalancing, o => LoadBalancingPolicies.IsKnown(o.LoadBalancing)),
        new("Cluster:AcceptBalance", AcceptBalanceModes.AcceptedValues, o => o.AcceptBalance, o => AcceptBalanceModes.IsKnown(o.AcceptBalance)),
        new("Cluster:DeregistrationDelay", "a time span of zero or more, such as 00:00:00.200", o => o.DeregistrationDelay, o => o.DeregistrationDelay >= TimeSpan.Zero),
        DrainTimeout,
        ShutdownDelay,
        new("Cluster:ShareProcessors", "true or false", o => o.ShareProcessors, _ => true),
        new("Cluster:EnableListenerMigration", "true or false", o => o.EnableListenerMigration, _ => true),
        new("Cluster:EchoWorkerOutput", "true or false", o => o.EchoWorkerOutput, _ => true),
        new("Cluster:Init:When", InitSchedule.AcceptedValues, o => o.Init.When, o => InitSchedule.IsKnown(o.Init.When)),
        new("Cluster:Init:Timeout", "a positive time span such as 00:05:00", o => o.Init.Timeout, o => o.Init.Timeout > TimeSpan.Zero),
        new("Cluster:Restart:BaseDelay", "a time span of zero or more, such as 00:00:00.100", o => o.Restart.BaseDelay, o => o.Restart.BaseDelay >= TimeSpan.Zero),
        new("Cluster:Restart:Factor", "a number of 1 or more", o => o.Restart.Factor, o => o.Restart.Factor >= 1),
        new("Cluster:Restart:MaxDelay", "a time span no shorter than Cluster:Restart:BaseDelay", o => o.Restart.MaxDelay, o => o.Restart.MaxDelay >= o.Restart.BaseDelay),
        new("Cluster:Restart:StableAfter", "a time span such as 00:00:30", o => o.Restart.StableAfter, _ => true),
        new("Cluster:Restart:CrashLoopMaxRestarts", "a whole number of 1 or more", o => o.Restart.CrashLoopMaxRestarts, o => o.Restart.CrashLoopMaxRestarts >= 1),
        new("Cluster:Restart:CrashLoopWindow", "a time span such as 00:01:00", o => o.Restart.CrashLoopWindow, _ => true),
        new("Cluster:Recycle:MaxRequests", "a whole number of 0 (off) or more", o => o.Recycle.MaxRequests, o => o.Recycle.MaxRequests >= 0),
        new("Cluster:Recycle:MaxRequestsJitter", "a whole number of 0 or more", o => o.Recycle.MaxRequestsJitter, o => o.Recycle.MaxRequestsJitter >= 0),
        new("Cluster:Recycle:MemoryLimitMegabytes", "a whole number of 0 (off) or more", o => o.Recycle.MemoryLimitMegabytes, o => o.Recycle.MemoryLimitMegabytes >= 0),
        new("Cluster:Health:Interval", "a positive time span such as 00:00:02", o => o.Health.Interval, o => o.Health.Interval > TimeSpan.Zero),
        new("Cluster:Health:Timeout", "a positive time span such as 00:00:02", o => o.Health.Timeout, o => o.Health.Timeout > TimeSpan.Zero),
        new("Cluster:Health:LivenessTimeout", "a time span of at least 00:00:00.500", o => o.Health.LivenessTimeout, o => o.Health.LivenessTimeout >= TimeSpan.FromMilliseconds(500)),
        new("Cluster:Health:StartupTimeout", "a positive time span such as 00:00:30", o => o.Health.StartupTimeout, o => o.Health.StartupTimeout > TimeSpan.Zero),
        MinReadyWorkers,
        HealthEndpoint,
        new("Cluster:Address", PublicAddress.AcceptedValues, o => o.Address, o => PublicAddress.IsValid(o.Address)),
        new("Cluster:Protocols", PublicProtocols.AcceptedValues, o => o.Protocols, o => PublicProtocols.Parse(o.Protocols, tls: true) is not null),
    ];

    /// <summary>The rule of a setting, by its path (case-insensitive).</summary>
    public static SettingRule? Find(string setting) => All.FirstOrDefault(rule => rule.Is(setting));
}
