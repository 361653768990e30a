using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Tests.Processes;

[Trait("Category", "Unit")]
public class WorkerEnvironmentTests
{
    [Fact]
    public void Hands_each_worker_the_cluster_contract_and_its_own_telemetry_identity()
    {
        var options = new ClusterOptions { Workers = 2, Port = 9000, DrainTimeout = TimeSpan.FromSeconds(12), Environment = { ["FEATURE"] = "on" } };
        var primaryEnvironment = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = "shop",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=shop-abc,deployment.environment=dev",
        };

        var environment = WorkerEnvironment.Create(options, ClusterListenerMode.Proxy, workerId: 2, generation: 3, "/run/w.sock", name => primaryEnvironment.GetValueOrDefault(name));

        Assert.Equal("2", environment[ClusterEnvironment.WorkerId]);
        Assert.Equal("3", environment[ClusterEnvironment.Generation]);
        Assert.Equal("proxy", environment[ClusterEnvironment.Mode]);
        Assert.Equal("9000", environment[ClusterEnvironment.Port]);
        Assert.Equal("/run/w.sock", environment[ClusterEnvironment.ManagementSocket]);
        Assert.Equal("12", environment[ClusterEnvironment.DrainTimeoutSeconds]);
        Assert.Equal("on", environment["FEATURE"]);
        Assert.Equal("shop-worker-2", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("deployment.environment=dev,service.instance.id=shop-worker-2", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal(Math.Max(1, (int)Math.Ceiling(Environment.ProcessorCount / 2.0)).ToString(System.Globalization.CultureInfo.InvariantCulture), environment["DOTNET_PROCESSOR_COUNT"]);
    }

    [Fact]
    public void Leaves_the_processor_count_to_the_user_when_they_set_it()
    {
        var environment = WorkerEnvironment.Create(new ClusterOptions(), ClusterListenerMode.ReusePort, 1, 1, "/s", name => name == "DOTNET_PROCESSOR_COUNT" ? "8" : null);

        Assert.False(environment.ContainsKey("DOTNET_PROCESSOR_COUNT"));
        Assert.Equal("cluster-worker-1", environment["OTEL_SERVICE_NAME"]);
    }
}
