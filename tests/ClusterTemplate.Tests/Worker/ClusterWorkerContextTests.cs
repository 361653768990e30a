using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Tests.Worker;

/// <summary>What a process learns about its role from the environment the primary set.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterWorkerContextTests
{
    [Fact]
    public void The_init_run_is_in_the_init_role_and_is_no_worker()
    {
        var context = ClusterWorkerContext.FromEnvironment(Read(
            (ClusterEnvironment.Role, ClusterEnvironment.InitRole), (ClusterEnvironment.InitByPrimary, "true"), (ClusterEnvironment.PrimaryProcessId, "42")));

        Assert.True(context.IsInit);
        Assert.False(context.IsUnderPrimary);
        Assert.Equal((0, 42), (context.WorkerId, context.PrimaryProcessId));
        Assert.Null(context.ManagementSocketPath);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(null, false)]
    public void A_worker_knows_whether_its_primary_ran_the_init(string? initByPrimary, bool expected)
    {
        var context = ClusterWorkerContext.FromEnvironment(Read((ClusterEnvironment.WorkerId, "1"), (ClusterEnvironment.InitByPrimary, initByPrimary)));

        Assert.False(context.IsInit);
        Assert.True(context.IsUnderPrimary);
        Assert.Equal(expected, context.InitByPrimary);
    }

    private static Func<string, string?> Read(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;
}
