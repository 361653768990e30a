
namespace ClusterTemplate.Primary.Configuration;

/// <summary>The short command-line forms of the <c>Cluster</c> settings.</summary>
public static class ClusterCommandLine
{
    /// <summary><c>--workers 4 --port 8080 --mode proxy</c> and friends, mapped to their settings.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--workers"] = "Cluster:Workers",
        ["--port"] = "Cluster:Port",
        ["--mode"] = "Cluster:Mode",
        ["--load-balancing"] = "Cluster:LoadBalancing",
        ["--worker-path"] = "Cluster:WorkerPath",
        ["--drain-timeout"] = "Cluster:DrainTimeout",
        ["--runtime-directory"] = "Cluster:RuntimeDirectory",
    };

    /// <summary>
    /// The settings as the host will see them (settings file, environment, command line), for the moments
    /// before or instead of building a host: the control client and the start-up socket tuning.
    /// </summary>
    public static IConfiguration ReadSettings(IEnumerable<string> args) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. args], SwitchMappings)
            .Build();
}
