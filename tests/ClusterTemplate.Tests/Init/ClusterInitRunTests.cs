using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Init;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClusterTemplate.Tests.Init;

/// <summary>The init run as the primary drives it: one process in the init role, waited for within Cluster:Init:Timeout.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterInitRunTests : IDisposable
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeWorkerLauncher _launcher;
    private readonly ServiceProvider _services;

    public ClusterInitRunTests()
    {
        _launcher = new FakeWorkerLauncher(_time);
        var options = new ClusterOptions { Mode = "reuseport", Init = { When = InitSchedule.EveryRollout, Timeout = TimeSpan.FromMinutes(2) } };
        _services = SupervisionServices.Build(options, services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton<IWorkerLauncher>(_launcher);
            services.AddSingleton(provider => new WorkerEnvironment(provider.GetRequiredService<IOptions<ClusterOptions>>(), provider.GetRequiredService<ListenerModeSelector>()) { Read = _ => null });
        });
    }

    private ClusterInit Init => _services.GetRequiredService<ClusterInit>();

    [Fact]
    public async Task Runs_one_process_in_the_init_role_and_succeeds_when_it_exits_0()
    {
        var run = Init.RunAsync("start", CancellationToken.None);
        var process = Assert.Single(_launcher.Started);
        process.Exit(0);

        var result = await run.WaitAsync(s_budget);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(WorkerLaunchSpec.InitWorkerId, process.Spec.WorkerId);
        Assert.Equal(ClusterEnvironment.InitRole, process.Spec.Environment[ClusterEnvironment.Role]);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_exit_and_its_last_lines()
    {
        var run = Init.RunAsync("rollout", CancellationToken.None);
        Assert.Single(_launcher.Started).Exit(3);

        var result = await run.WaitAsync(s_budget);

        Assert.False(result.Succeeded);
        Assert.Equal("the cluster init (pid 1001) failed: exit code 3 after 0.0 s; last output: fake output", result.DescribeInOneLine());
    }

    [Fact]
    public async Task An_init_that_outlives_Cluster_Init_Timeout_is_killed_and_fails_naming_the_setting()
    {
        var run = Init.RunAsync("start", CancellationToken.None);
        var process = Assert.Single(_launcher.Started);

        _time.Advance(TimeSpan.FromMinutes(2));
        var result = await run.WaitAsync(s_budget);

        Assert.True(process.Killed);
        Assert.False(result.Succeeded);
        Assert.StartsWith("the cluster init (pid 1001) did not finish within Cluster:Init:Timeout (00:02:00) and was killed", result.Message);
    }

    [Fact]
    public async Task A_primary_that_stops_during_the_init_kills_it_and_the_init_fails()
    {
        using var stopping = new CancellationTokenSource();
        var run = Init.RunAsync("start", stopping.Token);
        var process = Assert.Single(_launcher.Started);

        await stopping.CancelAsync();
        var result = await run.WaitAsync(s_budget);

        Assert.True(process.Killed);
        Assert.False(result.Succeeded);
        Assert.Equal("the cluster init (pid 1001) was killed: the start was cancelled", result.Message);
    }

    public void Dispose() => _services.Dispose();
}
