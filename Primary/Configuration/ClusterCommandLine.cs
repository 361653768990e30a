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
        ["--accept-balance"] = "Cluster:AcceptBalance",
        ["--worker-path"] = "Cluster:WorkerPath",
        ["--working-directory"] = "Cluster:WorkingDirectory",
        ["--drain-timeout"] = "Cluster:DrainTimeout",
        ["--shutdown-delay"] = "Cluster:ShutdownDelay",
        ["--init"] = "Cluster:Init:When",
        ["--runtime-directory"] = "Cluster:RuntimeDirectory",
        ["--health-endpoint"] = "Cluster:HealthEndpoint",
        ["--address"] = "Cluster:Address",
        ["--protocols"] = "Cluster:Protocols",
    };

    /// <summary>
    /// The settings as the host will see them (the settings files, environment, command line), for the moments
    /// before or instead of building a host: the control client and the start-up socket tuning. A settings file
    /// that cannot be read throws, unless <paramref name="unreadableFiles"/> is given: then it is left out and
    /// described there in one line, "appsettings.json: &lt;what the reader says&gt;".
    /// </summary>
    public static IConfiguration ReadSettings(IEnumerable<string> args, ICollection<string>? unreadableFiles = null)
    {
        string[] switches = [.. args];
        var builder = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory);
        if (unreadableFiles is not null)
        {
            builder.SetFileLoadExceptionHandler(context =>
            {
                unreadableFiles.Add(DescribeLoadFailure(context));
                context.Ignore = true;
            });
        }

        return builder
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{EnvironmentName(switches)}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(switches, SwitchMappings)
            .Build();
    }

    /// <summary>The host's environment, found the way the host finds it: DOTNET_, then ASPNETCORE_, then <c>--environment</c>.</summary>
    private static string EnvironmentName(string[] args) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.EnvironmentKey] is { Length: > 0 } name ? name : Environments.Production;

    /// <summary>The innermost exception is the reader's own words: "'2' is invalid after a property name. ... LineNumber: 2 | ...".</summary>
    private static string DescribeLoadFailure(FileLoadExceptionContext context)
    {
        var reason = context.Exception;
        while (reason.InnerException is not null)
        {
            reason = reason.InnerException;
        }

        return $"{context.Provider.Source.Path}: {reason.Message.ReplaceLineEndings(" ")}";
    }
}
