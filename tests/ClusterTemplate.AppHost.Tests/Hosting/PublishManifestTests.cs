using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using ClusterTemplate.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterTemplate.AppHost.Tests.Hosting;

/// <summary>
/// Published (<c>--publisher manifest</c>, or a deployment target), the cluster carries nothing of the machine that
/// published it: no worker count from its cores, no runtime folder from its <c>XDG_RUNTIME_DIR</c>. Its public endpoint
/// is external and the primary's probes have an endpoint of their own. A run from the AppHost is as before.
/// </summary>
public sealed class PublishManifestTests : IDisposable
{
    private const string HealthEndpointValue = "http://*:{cluster.bindings.health.targetPort}";

    private static readonly TimeSpan PublishBudget = TimeSpan.FromMinutes(2);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("clustertemplate-publish-");

    [Fact]
    public async Task The_AppHosts_manifest_holds_nothing_of_this_machine()
    {
        // A runtime folder of this machine that the old AppHost wrote into the manifest as Cluster__RuntimeDirectory.
        var runtimeFolder = Directory.CreateDirectory(Path.Combine(_folder.FullName, "xdg-runtime")).FullName;
        var manifestPath = Path.Combine(_folder.FullName, "aspire-manifest.json");

        var (exitCode, output, errors) = await PublishAppHostAsync(manifestPath, runtimeFolder);

        Assert.True(exitCode == 0, $"The publish exited {exitCode}:{Environment.NewLine}{output}{errors}");
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
        var cluster = manifest.RootElement.GetProperty("resources").GetProperty("cluster");
        Assert.Equal("project.v0", cluster.GetProperty("type").GetString());

        // The project path is the manifest's own, relative to the manifest.
        var projectPath = cluster.GetProperty("path").GetString()!;
        Assert.False(Path.IsPathRooted(projectPath), projectPath);
        Assert.EndsWith("Primary/ClusterTemplate.Primary.csproj", projectPath, StringComparison.Ordinal);

        var environment = cluster.GetProperty("env").EnumerateObject().ToDictionary(variable => variable.Name, variable => variable.Value.GetString()!);
        Assert.DoesNotContain("Cluster__Workers", environment.Keys);
        Assert.DoesNotContain("Cluster__RuntimeDirectory", environment.Keys);
        Assert.DoesNotContain("Cluster__EchoWorkerOutput", environment.Keys);
        Assert.DoesNotContain("Cluster__Environment__ASPNETCORE_ENVIRONMENT", environment.Keys);
        Assert.Equal("8080", environment["Cluster__Port"]);
        Assert.Equal(HealthEndpointValue, environment["Cluster__HealthEndpoint"]);

        var repository = Path.GetDirectoryName(Path.GetDirectoryName(Projects.ClusterTemplate_AppHost.ProjectPath))!;
        string[] localPaths = [runtimeFolder, Path.GetTempPath().TrimEnd('/'), repository, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)];
        foreach (var (name, value) in environment)
        {
            Assert.All(localPaths.Where(path => path.Length > 1), path => Assert.False(value.Contains(path, StringComparison.Ordinal), $"{name}={value} names {path}"));
        }

        var bindings = cluster.GetProperty("bindings");
        var http = bindings.GetProperty(ClusterResourceBuilderExtensions.PublicEndpointName);
        Assert.Equal(8080, http.GetProperty("targetPort").GetInt32());
        Assert.True(http.GetProperty("external").GetBoolean());
        var health = bindings.GetProperty(ClusterResourceBuilderExtensions.HealthEndpointName);
        Assert.Equal("http", health.GetProperty("scheme").GetString());
        Assert.Equal(ClusterResourceBuilderExtensions.DefaultHealthPort, health.GetProperty("targetPort").GetInt32());
        Assert.False(health.TryGetProperty("external", out _));
    }

    [Fact]
    public async Task A_published_cluster_passes_what_the_AppHost_set_as_given_and_declares_its_probes()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = ["--publisher", "manifest"] });
        var primary = builder.AddCluster<Projects.ClusterTemplate_Primary>("cluster")
            .WithWorkers(3)
            .WithRuntimeDirectory("run/cluster")
            .WithPublicPort(9080)
            .WithHealthPort(9081);

        var environment = await EnvironmentOfAsync(primary.Resource, DistributedApplicationOperation.Publish);

        Assert.Equal("3", environment["Cluster__Workers"]);
        Assert.Equal("run/cluster", environment["Cluster__RuntimeDirectory"]);
        Assert.Equal("9080", environment["Cluster__Port"]);
        Assert.Equal(HealthEndpointValue, environment["Cluster__HealthEndpoint"]);

        var endpoints = primary.Resource.Annotations.OfType<EndpointAnnotation>().ToDictionary(endpoint => endpoint.Name);
        Assert.True(endpoints[ClusterResourceBuilderExtensions.PublicEndpointName].IsExternal);
        Assert.Equal(9081, endpoints[ClusterResourceBuilderExtensions.HealthEndpointName].TargetPort);
        Assert.False(endpoints[ClusterResourceBuilderExtensions.HealthEndpointName].IsExternal);

#pragma warning disable ASPIREPROBES001
        var probes = primary.Resource.Annotations.OfType<EndpointProbeAnnotation>().ToDictionary(probe => probe.Type);
        Assert.Equal(2, probes.Count);
        Assert.Equal("/healthz", probes[ProbeType.Liveness].Path);
        Assert.Equal("/readyz", probes[ProbeType.Readiness].Path);
        Assert.All(probes.Values, probe => Assert.Equal(ClusterResourceBuilderExtensions.HealthEndpointName, probe.EndpointReference.EndpointName));
#pragma warning restore ASPIREPROBES001
    }

    [Fact]
    public void A_published_cluster_refuses_its_health_port_as_its_public_port()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = ["--publisher", "manifest"] });
        var primary = builder.AddCluster<Projects.ClusterTemplate_Primary>("cluster");

        var error = Assert.Throws<ArgumentException>(() => primary.WithPublicPort(ClusterResourceBuilderExtensions.DefaultHealthPort));
        Assert.Contains("WithHealthPort", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_passes_this_machines_values_and_declares_no_probes()
    {
        var builder = DistributedApplication.CreateBuilder();
        var primary = builder.AddCluster<Projects.ClusterTemplate_Primary>("cluster")
            .WithRuntimeDirectory("run/cluster")
            .WithPublicPort(ClusterResourceBuilderExtensions.DefaultHealthPort);

        var environment = await EnvironmentOfAsync(primary.Resource, DistributedApplicationOperation.Run);

        Assert.Equal(ClusterResourceBuilderExtensions.DefaultWorkers.ToString(System.Globalization.CultureInfo.InvariantCulture), environment["Cluster__Workers"]);
        Assert.Equal(Path.GetFullPath("run/cluster"), environment["Cluster__RuntimeDirectory"]);
        Assert.Equal("false", environment["Cluster__EchoWorkerOutput"]);
        Assert.DoesNotContain("Cluster__HealthEndpoint", environment.Keys);

        var endpoint = Assert.Single(primary.Resource.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(ClusterResourceBuilderExtensions.PublicEndpointName, endpoint.Name);
        Assert.False(endpoint.IsExternal);
#pragma warning disable ASPIREPROBES001
        Assert.Empty(primary.Resource.Annotations.OfType<ProbeAnnotation>());
#pragma warning restore ASPIREPROBES001
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static async Task<IReadOnlyDictionary<string, string>> EnvironmentOfAsync(ClusterResource resource, DistributedApplicationOperation operation)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(operation), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    /// <summary>Publishes the AppHost as a user does: <c>dotnet run --project AppHost -- --publisher manifest</c>, with no cluster settings of its own.</summary>
    private static async Task<(int ExitCode, string Output, string Errors)> PublishAppHostAsync(string manifestPath, string runtimeFolder)
    {
        var configuration = typeof(PublishManifestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList =
            {
                "run", "--project", Projects.ClusterTemplate_AppHost.ProjectPath, "--no-build", "-c", configuration, "--",
                "--publisher", "manifest", "--output-path", manifestPath,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["XDG_RUNTIME_DIR"] = runtimeFolder;
        foreach (var inherited in startInfo.Environment.Keys.Where(key => key.StartsWith("Cluster__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(inherited);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet run did not start.");
        return await ProcessRun.ToExitAsync(process, PublishBudget);
    }
}
