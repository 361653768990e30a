using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

        options.Mode = "proxy";
        var environment = Create(options, name => primaryEnvironment.GetValueOrDefault(name)).Create(workerCount: 2, workerId: 2, generation: 3, "/run/w.sock", "/run/w.heartbeat");

        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), environment[ClusterEnvironment.PrimaryProcessId]);
        Assert.Equal("2", environment[ClusterEnvironment.WorkerId]);
        Assert.Equal("3", environment[ClusterEnvironment.Generation]);
        Assert.Equal("proxy", environment[ClusterEnvironment.Mode]);
        Assert.Equal("9000", environment[ClusterEnvironment.Port]);
        Assert.Equal("/run/w.sock", environment[ClusterEnvironment.ManagementSocket]);
        Assert.Equal("/run/w.heartbeat", environment[ClusterEnvironment.HeartbeatFile]);
        Assert.Equal("12", environment[ClusterEnvironment.DrainTimeoutSeconds]);
        Assert.Equal("on", environment["FEATURE"]);
        Assert.Equal("shop-worker", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("deployment.environment=dev,service.instance.id=2", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("3", environment["DOTNET_PROCESSOR_COUNT"]);
        Assert.False(environment.ContainsKey(ClusterEnvironment.ListenFileDescriptor));
    }

    [Fact]
    public void Hands_the_init_run_the_apps_settings_and_the_init_role_but_no_slot_listener_or_socket()
    {
        var options = new ClusterOptions { Mode = "reuseport", Environment = { ["ConnectionStrings__Db"] = "Data Source=app.db" }, Init = { When = InitSchedule.Start } };

        var environment = Create(options, _ => null).CreateInit();

        Assert.Equal(ClusterEnvironment.InitRole, environment[ClusterEnvironment.Role]);
        Assert.Equal("true", environment[ClusterEnvironment.InitByPrimary]);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), environment[ClusterEnvironment.PrimaryProcessId]);
        Assert.Equal("Data Source=app.db", environment["ConnectionStrings__Db"]);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("service.instance.id=init", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.All(
            [ClusterEnvironment.WorkerId, ClusterEnvironment.Mode, ClusterEnvironment.Port, ClusterEnvironment.ManagementSocket, ClusterEnvironment.HeartbeatFile],
            name => Assert.False(environment.ContainsKey(name), name));
    }

    [Theory]
    [InlineData(InitSchedule.Never, false)]
    [InlineData(InitSchedule.Start, true)]
    [InlineData(InitSchedule.EveryRollout, true)]
    public void Tells_workers_whether_the_primary_ran_the_init(string when, bool initByPrimary)
    {
        var environment = Create(new ClusterOptions { Mode = "reuseport", Init = { When = when } }, _ => null).Create(workerCount: 1, workerId: 1, generation: 1, "/s", "/h");

        Assert.Equal(initByPrimary, environment.ContainsKey(ClusterEnvironment.InitByPrimary));
    }

    [Fact]
    public void Leaves_the_processor_count_to_the_user_when_they_set_it()
    {
        var environment = Create(new ClusterOptions(), name => name == "DOTNET_PROCESSOR_COUNT" ? "8" : null).Create(workerCount: 1, workerId: 1, generation: 1, "/s", "/h");

        Assert.False(environment.ContainsKey("DOTNET_PROCESSOR_COUNT"));
        Assert.Equal("cluster-worker", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=1", environment["OTEL_RESOURCE_ATTRIBUTES"]);
    }

    [Theory]
    [InlineData(1, "5")]
    [InlineData(2, "3")]
    [InlineData(8, "1")]
    public void Sizes_each_worker_for_its_share_of_the_cores_at_the_current_worker_count(int workerCount, string expected)
    {
        var environment = Create(new ClusterOptions { Mode = "reuseport" }, _ => null).Create(workerCount, workerId: 1, generation: 1, "/s", "/h");

        Assert.Equal(expected, environment["DOTNET_PROCESSOR_COUNT"]);
    }

    [Fact]
    public void Gives_a_one_processor_worker_a_4_MB_gen0_budget()
    {
        var environment = Create(new ClusterOptions { Mode = "reuseport" }, _ => null).Create(workerCount: 8, workerId: 1, generation: 1, "/s", "/h");

        // Hexadecimal, as the runtime reads it; no 0x prefix, which Native AOT's reader refuses.
        Assert.Equal("400000", environment["DOTNET_GCgen0size"]);
    }

    [Fact]
    public void Leaves_the_gen0_budget_alone_for_a_worker_with_several_processors_when_the_user_set_it_or_without_ShareProcessors()
    {
        var several = Create(new ClusterOptions { Mode = "reuseport" }, _ => null).Create(workerCount: 1, workerId: 1, generation: 1, "/s", "/h");
        var userSet = Create(new ClusterOptions { Mode = "reuseport" }, name => name == "DOTNET_GCgen0size" ? "1000000" : null).Create(workerCount: 8, workerId: 1, generation: 1, "/s", "/h");
        var notShared = Create(new ClusterOptions { Mode = "reuseport", ShareProcessors = false }, _ => null).Create(workerCount: 8, workerId: 1, generation: 1, "/s", "/h");
        var inSettings = Create(new ClusterOptions { Mode = "reuseport", Environment = { ["DOTNET_GCgen0size"] = "800000" } }, _ => null).Create(workerCount: 8, workerId: 1, generation: 1, "/s", "/h");

        Assert.False(several.ContainsKey("DOTNET_GCgen0size"));
        Assert.False(userSet.ContainsKey("DOTNET_GCgen0size"));
        Assert.False(notShared.ContainsKey("DOTNET_GCgen0size"));
        Assert.Equal("800000", inSettings["DOTNET_GCgen0size"]);
    }

    [Theory]
    [InlineData("Production", null, null, "Production")]
    [InlineData("Staging", null, null, "Staging")]
    [InlineData("Development", null, null, "Production")]
    [InlineData("development", null, null, "Production")]
    [InlineData("Development", "Development", null, "Development")]
    [InlineData("Production", null, "Development", "Development")]
    [InlineData("Development", "Staging", null, "Staging")]
    public void Runs_each_worker_in_the_primarys_environment_but_in_Development_only_when_asked_for_by_name(
        string primary, string? aspNetCoreSetting, string? dotnetSetting, string expected)
    {
        var options = new ClusterOptions();
        if (aspNetCoreSetting is not null)
        {
            options.Environment["ASPNETCORE_ENVIRONMENT"] = aspNetCoreSetting;
        }

        if (dotnetSetting is not null)
        {
            options.Environment["DOTNET_ENVIRONMENT"] = dotnetSetting;
        }

        var environment = Create(options, _ => null, primary).Create(workerCount: 1, workerId: 1, generation: 1, "/s", "/h");

        Assert.Equal((expected, expected), (environment["ASPNETCORE_ENVIRONMENT"], environment["DOTNET_ENVIRONMENT"]));
    }

    private static WorkerEnvironment Create(ClusterOptions options, Func<string, string?> read, string primaryEnvironmentName = "Production")
    {
        var services = SupervisionServices.Build(options);
        return new WorkerEnvironment(Options.Create(options), services.GetRequiredService<ListenerModeSelector>())
        {
            Read = read,
            ProcessorCount = 5,
            PrimaryEnvironmentName = primaryEnvironmentName,
        };
    }
}
