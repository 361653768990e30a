using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>
/// Checks the <c>Cluster</c> settings before anything starts. Each failure is one line that names
/// the setting, what it was and what it accepts.
/// </summary>
internal sealed class ClusterOptionsValidator(WorkerProgramLocator locator) : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();

        if (options.Workers is < ClusterOptions.MinWorkers or > ClusterOptions.MaxWorkers)
        {
            failures.Add(SettingErrors.Describe("Cluster:Workers", options.Workers));
        }

        var portInRange = options.Port is >= 1 and <= 65535;
        if (!portInRange)
        {
            failures.Add(SettingErrors.Describe("Cluster:Port", options.Port));
        }

        if (!ClusterListenerModes.TryParse(options.Mode, out var mode))
        {
            failures.Add(SettingErrors.Describe("Cluster:Mode", options.Mode));
        }
        else if (mode == ClusterListenerMode.ReusePort && !ReusePortListenSocket.IsSupported)
        {
            failures.Add("Cluster:Mode 'reuseport' needs Linux (SO_REUSEPORT balancing); accepted here: " + (InheritedListenSocket.IsSupported ? "shared or proxy." : "proxy."));
        }
        else if (mode == ClusterListenerMode.Shared && !InheritedListenSocket.IsSupported)
        {
            failures.Add("Cluster:Mode 'shared' needs Linux or macOS (workers inherit the listening socket); accepted here: proxy.");
        }

        if (!locator.TryLocate(options.WorkerPath, out _, out var searched))
        {
            failures.Add($"Cluster:WorkerPath: worker program not found (looked in {searched}); set it to the Worker's executable or .dll.");
        }

        if (!Proxy.LoadBalancingPolicies.IsKnown(options.LoadBalancing))
        {
            failures.Add(SettingErrors.Describe("Cluster:LoadBalancing", options.LoadBalancing));
        }

        if (options.DeregistrationDelay < TimeSpan.Zero)
        {
            failures.Add(SettingErrors.Describe("Cluster:DeregistrationDelay", options.DeregistrationDelay));
        }

        if (options.DrainTimeout <= TimeSpan.Zero)
        {
            failures.Add(SettingErrors.Describe("Cluster:DrainTimeout", options.DrainTimeout));
        }

        ValidateRestart(options.Restart, failures);
        ValidateHealth(options.Health, failures);
        ValidateRecycle(options.Recycle, failures);

        if (portInRange && failures.Count == 0 && PortAvailability.IsTaken(options.Port))
        {
            failures.Add($"Cluster:Port {options.Port} is already taken by another program; choose a free port (1..65535) or stop that program.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateRestart(RestartOptions restart, List<string> failures)
    {
        if (restart.BaseDelay < TimeSpan.Zero)
        {
            failures.Add(SettingErrors.Describe("Cluster:Restart:BaseDelay", restart.BaseDelay));
        }

        if (restart.Factor < 1)
        {
            failures.Add(SettingErrors.Describe("Cluster:Restart:Factor", restart.Factor));
        }

        if (restart.MaxDelay < restart.BaseDelay)
        {
            failures.Add(SettingErrors.Describe("Cluster:Restart:MaxDelay", restart.MaxDelay));
        }

        if (restart.CrashLoopMaxRestarts < 1)
        {
            failures.Add(SettingErrors.Describe("Cluster:Restart:CrashLoopMaxRestarts", restart.CrashLoopMaxRestarts));
        }
    }

    private static void ValidateRecycle(RecycleOptions recycle, List<string> failures)
    {
        foreach (var (setting, value) in new[]
        {
            ("Cluster:Recycle:MaxRequests", recycle.MaxRequests),
            ("Cluster:Recycle:MaxRequestsJitter", recycle.MaxRequestsJitter),
            ("Cluster:Recycle:MemoryLimitMegabytes", recycle.MemoryLimitMegabytes),
        })
        {
            if (value < 0)
            {
                failures.Add(SettingErrors.Describe(setting, value));
            }
        }
    }

    private static void ValidateHealth(HealthProbeOptions health, List<string> failures)
    {
        if (health.Interval <= TimeSpan.Zero)
        {
            failures.Add(SettingErrors.Describe("Cluster:Health:Interval", health.Interval));
        }

        if (health.Timeout <= TimeSpan.Zero)
        {
            failures.Add(SettingErrors.Describe("Cluster:Health:Timeout", health.Timeout));
        }

        if (health.FailureThreshold < 1)
        {
            failures.Add(SettingErrors.Describe("Cluster:Health:FailureThreshold", health.FailureThreshold));
        }

        if (health.StartupTimeout <= TimeSpan.Zero)
        {
            failures.Add(SettingErrors.Describe("Cluster:Health:StartupTimeout", health.StartupTimeout));
        }
    }
}
