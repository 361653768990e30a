using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Primary.Processes;

/// <summary>The environment the primary hands each worker: the cluster contract, runtime sizing and telemetry identity.</summary>
internal static class WorkerEnvironment
{
    private const string ServiceInstanceIdAttribute = "service.instance.id";

    public static Dictionary<string, string> Create(ClusterOptions options, ClusterListenerMode mode, int workerId, int generation, string socketPath, Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClusterEnvironment.WorkerId] = workerId.ToString(CultureInfo.InvariantCulture),
            [ClusterEnvironment.Generation] = generation.ToString(CultureInfo.InvariantCulture),
            [ClusterEnvironment.Mode] = ClusterListenerModes.Name(mode),
            [ClusterEnvironment.Port] = options.Port.ToString(CultureInfo.InvariantCulture),
            [ClusterEnvironment.ManagementSocket] = socketPath,
            [ClusterEnvironment.DrainTimeoutSeconds] = options.DrainTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };

        if (options.ShareProcessors)
        {
            // N runtimes that each size their thread pool and server GC for every core fight over them.
            if (read("DOTNET_PROCESSOR_COUNT") is null)
            {
                var share = Math.Max(1, (int)Math.Ceiling(Environment.ProcessorCount / (double)options.Workers));
                environment["DOTNET_PROCESSOR_COUNT"] = share.ToString(CultureInfo.InvariantCulture);
            }

            // An idle pool thread spins before it sleeps, burning a core another worker needs: measured at
            // twice the CPU per request of a single process on hello (bench/README.md).
            if (read("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is null)
            {
                environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
            }
        }

        // The workers are one telemetry service, "<primary service name>-worker", and each slot is an
        // instance of it, "<id>", so a slot's traces, metrics and logs stay together across restarts.
        // That is Aspire's replica convention: the dashboard links "<service>-<instance>" to the
        // AppHost's row of the same name, "<primary>-worker-<id>".
        var workerServiceName = (read("OTEL_SERVICE_NAME") is { Length: > 0 } primaryName ? primaryName : "cluster") + "-worker";
        environment["OTEL_SERVICE_NAME"] = workerServiceName;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = WithInstanceId(read("OTEL_RESOURCE_ATTRIBUTES"), workerId.ToString(CultureInfo.InvariantCulture));

        foreach (var (name, value) in options.Environment)
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
