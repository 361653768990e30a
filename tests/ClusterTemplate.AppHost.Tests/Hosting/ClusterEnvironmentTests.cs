using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterTemplate.AppHost.Tests.Hosting;

/// <summary>
/// The primary never passes its own Development on to its workers: run from the AppHost, they are told the
/// AppHost's environment by name, so the dashboard's workers keep Development (the developer page, /health).
/// </summary>
public sealed class ClusterEnvironmentTests
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Staging")]
    public async Task A_run_asks_for_the_AppHosts_environment_for_the_workers(string environment)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = ["--environment", environment] });
        var primary = builder.AddCluster<Projects.ClusterTemplate_Primary>("cluster");

        var configuration = await ExecutionConfigurationBuilder.Create(primary.Resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, CancellationToken.None);

        Assert.Contains(KeyValuePair.Create("Cluster__Environment__ASPNETCORE_ENVIRONMENT", environment), configuration.EnvironmentVariables);
    }
}
