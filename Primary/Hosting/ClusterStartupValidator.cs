using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Hosting;

/// <summary>
/// The checks of the <c>Cluster</c> settings that look at this machine: the listener mode exists and runs
/// on this platform, the worker program is there and executable, the runtime folder is (or can be made) private
/// to this user and no other primary runs in it, and (when everything else holds) the port is free.
/// Its failures are reported together with those of <see cref="ClusterOptionsValidator"/>.
/// </summary>
/// <remarks>
/// Validation runs when the settings are first read and again at start, by then with this primary's own lock
/// in the runtime folder: only a lock of another process means another primary.
/// The modes are resolved when validation runs, not injected: they read the very settings being validated,
/// and a constructor dependency on them would make the settings depend on themselves.
/// </remarks>
internal sealed class ClusterStartupValidator(IServiceProvider services, WorkerProgramLocator locator) : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var modes = services.GetRequiredService<ListenerModeSelector>();
        var failures = new List<string>();
        if (modes.Find(options.Mode) is not { } mode)
        {
            failures.Add($"Cluster:Mode must be {modes.AcceptedValues} (got '{options.Mode}').");
        }
        else if (mode.UnsupportedReason is { } unsupported)
        {
            failures.Add(unsupported);
        }

        if (!locator.TryLocate(options.WorkerPath, out var program, out var searched))
        {
            failures.Add($"Cluster:WorkerPath: worker program not found (looked in {searched}); set it to the Worker's executable or .dll.");
        }
        else if (program.Arguments.Count == 0 && !WorkerProgramLocator.IsExecutable(program.FileName))
        {
            failures.Add($"Cluster:WorkerPath: {program.FileName} is not executable; make it executable (chmod +x) or set it to the Worker's .dll.");
        }

        if (options.WorkingDirectory is { Length: > 0 } workingDirectory && !Directory.Exists(workingDirectory))
        {
            failures.Add($"Cluster:WorkingDirectory must be an existing folder (got '{workingDirectory}').");
        }

        var settingsHold = failures.Count == 0 && options.ReadErrors.Count == 0 && ClusterSettingRules.All.All(rule => rule.Validate(options) is null);
        var anotherPrimary = false;
        if (!OperatingSystem.IsWindows() && ClusterSettingRules.Port.Validate(options) is null)
        {
            var folder = ClusterRuntimeDirectory.Resolve(options.RuntimeDirectory, options.Port);
            if (RuntimeFolderRules.Check(folder) is { } problem)
            {
                failures.Add(problem);
            }
            else if (ClusterLock.IsHeld(folder, out var holder) && holder != Environment.ProcessId)
            {
                // Said instead of "port taken": in reuseport mode that primary's workers may hold the port, or not yet.
                failures.Add(RuntimeFolderRules.AnotherPrimary(options.Port, holder, folder));
                anotherPrimary = true;
            }
        }

        if (settingsHold && !anotherPrimary && PortAvailability.IsTaken(options.Port))
        {
            failures.Add($"Cluster:Port {options.Port} is already taken by another program; choose a free port (1..65535) or stop that program.");
        }

        if (settingsHold && HealthEndpointAddress.Parse(options.HealthEndpoint) is { } health && PortAvailability.IsTaken(health.Port))
        {
            failures.Add($"Cluster:HealthEndpoint port {health.Port} is already taken by another program; choose a free port or stop that program.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
