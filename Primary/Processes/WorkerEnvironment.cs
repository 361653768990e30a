using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Tls;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Processes;

/// <summary>The environment the primary hands each worker: the cluster contract, its host environment, runtime sizing and telemetry identity.</summary>
internal sealed class WorkerEnvironment(IOptions<ClusterOptions> options, ListenerModeSelector modes, IHostEnvironment? host = null, PublicCertificate? certificate = null)
{
    private const string ServiceInstanceIdAttribute = "service.instance.id";
    private const string AspNetCoreEnvironment = "ASPNETCORE_ENVIRONMENT";
    private const string DotnetEnvironment = "DOTNET_ENVIRONMENT";
    private const string Gen0BudgetVariable = "DOTNET_GCgen0size";
    private const string Gen0Budget = "400000";

    /// <summary>Reads the primary's own environment; tests pass their own.</summary>
    internal Func<string, string?> Read { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The cores the workers share; tests pass their own.</summary>
    internal int ProcessorCount { get; init; } = Environment.ProcessorCount;

    /// <summary>The primary's own host environment name; tests pass their own.</summary>
    internal string PrimaryEnvironmentName { get; init; } = host?.EnvironmentName ?? Environments.Production;

    /// <summary>The environment of worker <paramref name="workerId"/> in a cluster of <paramref name="workerCount"/> workers.</summary>
    public Dictionary<string, string> Create(int workerCount, int workerId, int generation, string socketPath, string heartbeatPath)
    {
        var settings = options.Value;
        var mode = modes.Current;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClusterEnvironment.PrimaryProcessId] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            [ClusterEnvironment.WorkerId] = workerId.ToString(CultureInfo.InvariantCulture),
            [ClusterEnvironment.Generation] = generation.ToString(CultureInfo.InvariantCulture),
            [ClusterEnvironment.Mode] = mode.Name,
            [ClusterEnvironment.Port] = settings.Port.ToString(CultureInfo.InvariantCulture),
            [ClusterEnvironment.ManagementSocket] = socketPath,
            [ClusterEnvironment.HeartbeatFile] = heartbeatPath,
            [ClusterEnvironment.DrainTimeoutSeconds] = settings.DrainTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };

        if (InitSchedule.RunsAtStart(settings.Init.When))
        {
            environment[ClusterEnvironment.InitByPrimary] = "true";
        }

        AddPublicPort(environment, settings, mode.WorkersServePublicPort);
        mode.AddWorkerEnvironment(environment, workerId, generation);
        return WithAppSettings(environment, workerCount, workerId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The address, protocols and certificate of the public port, for workers that serve it themselves.</summary>
    private void AddPublicPort(Dictionary<string, string> environment, ClusterOptions settings, bool workersServeIt)
    {
        if (!workersServeIt)
        {
            return;
        }

        if (!PublicAddress.IsAny(settings.Address))
        {
            environment[ClusterEnvironment.Address] = settings.Address!.Trim();
        }

        if (!string.IsNullOrWhiteSpace(settings.Protocols))
        {
            environment[ClusterEnvironment.Protocols] = settings.Protocols.Trim();
        }

        if (certificate?.Files is { } files)
        {
            environment[ClusterEnvironment.CertificatePath] = files.Path;
            if (files.KeyPath is not null)
            {
                environment[ClusterEnvironment.CertificateKeyPath] = files.KeyPath;
            }

            if (files.Password is not null)
            {
                environment[ClusterEnvironment.CertificatePassword] = files.Password;
            }
        }
    }

    /// <summary>
    /// The environment of the init run (<c>Cluster:Init</c>): the app's own settings as a worker gets them, but no slot,
    /// listener, management socket or heartbeat.
    /// </summary>
    public Dictionary<string, string> CreateInit()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClusterEnvironment.PrimaryProcessId] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            [ClusterEnvironment.Role] = ClusterEnvironment.InitRole,
            [ClusterEnvironment.InitByPrimary] = "true",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        return WithAppSettings(environment, workerCount: 1, instanceId: ClusterEnvironment.InitRole);
    }

    private Dictionary<string, string> WithAppSettings(Dictionary<string, string> environment, int workerCount, string instanceId)
    {
        var settings = options.Value;

        // A worker in Development shows its developer exception page (with the request's headers) and /health to
        // anyone on the public port. It runs in Development only when the settings ask for it by name, as the
        // AppHost does; never by inheriting the primary's, which `dotnet run` sets through the launch profile.
        var hostEnvironment = settings.Environment.GetValueOrDefault(AspNetCoreEnvironment)
            ?? settings.Environment.GetValueOrDefault(DotnetEnvironment)
            ?? (string.Equals(PrimaryEnvironmentName, Environments.Development, StringComparison.OrdinalIgnoreCase) ? Environments.Production : PrimaryEnvironmentName);
        environment[AspNetCoreEnvironment] = hostEnvironment;
        environment[DotnetEnvironment] = hostEnvironment;

        if (settings.ShareProcessors)
        {
            // N runtimes that each size their thread pool and server GC for every core fight over them.
            if (Read("DOTNET_PROCESSOR_COUNT") is null)
            {
                var share = Math.Max(1, (int)Math.Ceiling(ProcessorCount / (double)Math.Max(1, workerCount)));
                environment["DOTNET_PROCESSOR_COUNT"] = share.ToString(CultureInfo.InvariantCulture);

                // A one-processor runtime runs the workstation GC, which sizes its gen0 budget from the L3 cache that every
                // worker shares: some 15 MB more per worker here than a runtime with two. One 4 MB GC region measured
                // 52 -> 40 MB VmRSS and 28 -> 16 MB private per Native AOT worker (95 -> 85 MB, 37 -> 27 MB on the JIT)
                // at the same hello and CPU-bound throughput (bench/README.md). Hexadecimal, without the 0x Native AOT refuses.
                if (share == 1 && Read(Gen0BudgetVariable) is null)
                {
                    environment[Gen0BudgetVariable] = Gen0Budget;
                }
            }

            // An idle pool thread spins before it sleeps, burning a core another worker needs: measured at
            // twice the CPU per request of a single process on hello (bench/README.md).
            if (Read("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is null)
            {
                environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
            }
        }

        // The workers are one telemetry service, "<primary service name>-worker", and each slot is an
        // instance of it, "<id>", so a slot's traces, metrics and logs stay together across restarts.
        // That is Aspire's replica convention: the dashboard links "<service>-<instance>" to the
        // AppHost's row of the same name, "<primary>-worker-<id>".
        var workerServiceName = (Read("OTEL_SERVICE_NAME") is { Length: > 0 } primaryName ? primaryName : "cluster") + "-worker";
        environment["OTEL_SERVICE_NAME"] = workerServiceName;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = WithInstanceId(Read("OTEL_RESOURCE_ATTRIBUTES"), instanceId);

        foreach (var (name, value) in settings.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static string WithInstanceId(string? attributes, string instanceId)
    {
        var kept = (attributes ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(pair => !pair.StartsWith(ServiceInstanceIdAttribute + "=", StringComparison.Ordinal));
        return string.Join(',', kept.Append(ServiceInstanceIdAttribute + "=" + instanceId));
    }
}
