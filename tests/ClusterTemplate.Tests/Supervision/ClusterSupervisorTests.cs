using System.ComponentModel;
using System.Diagnostics.Metrics;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Health;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Supervision;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClusterTemplate.Tests.Supervision;

/// <summary>The supervisor's decisions, driven by fake processes and a fake clock.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterSupervisorTests : IAsyncLifetime
{
    private static readonly TimeSpan s_conditionBudget = TimeSpan.FromSeconds(10);
    private const int ProcessorCount = 8;

    private static readonly Win32Exception s_permissionDenied = new(13, "An error occurred trying to start process '/app/worker' with working directory '/app'. Permission denied");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeWorkerLauncher _launcher;
    private readonly ClusterEvents _events = new();
    private readonly List<WorkerLifecycleEvent> _seen = [];
    private readonly ClusterOptions _options = new()
    {
        Workers = 1,
        Port = 8080,
        Mode = "reuseport",
        RuntimeDirectory = Path.Combine(Path.GetTempPath(), "clustertemplate-tests-" + Guid.NewGuid().ToString("N")),
        DrainTimeout = TimeSpan.FromSeconds(30),
    };

    private ServiceProvider? _services;

    public ClusterSupervisorTests() => _launcher = new FakeWorkerLauncher(_time);
    private ClusterSupervisor? _supervisor;

    private ClusterSupervisor Supervisor => _supervisor ?? throw new InvalidOperationException("Call StartAsync first.");

    private ClusterOperations Operations => _services?.GetRequiredService<ClusterOperations>() ?? throw new InvalidOperationException("Call StartAsync first.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_supervisor is not null)
        {
            var stop = _supervisor.StopAsync(CancellationToken.None);
            await AdvanceUntilAsync(() => stop.IsCompleted, TimeSpan.FromSeconds(1));
            await stop;
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Fact]
    public async Task Starts_every_worker_with_its_identity_in_the_environment()
    {
        _options.Workers = 3;
        await StartAsync();

        await WaitUntilAsync(() => Workers().Count(w => w.State == WorkerState.Running) == 3);

        var identities = _launcher.Started.Select(p => (p.Spec.Environment[ClusterEnvironment.WorkerId], p.Spec.Environment[ClusterEnvironment.Generation])).Order();
        Assert.Equal([("1", "1"), ("2", "1"), ("3", "1")], identities);
        Assert.All(_launcher.Started, p => Assert.Equal("reuseport", p.Spec.Environment[ClusterEnvironment.Mode]));
    }

    [Fact]
    public async Task A_crash_after_a_stable_run_restarts_at_once_and_the_next_one_after_the_backoff()
    {
        await StartAsync();
        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Running);

        _launcher.Started[0].Exit(137);
        await WaitUntilAsync(() => Workers().Single() is { State: WorkerState.Running, Generation: 2 });

        var worker = Workers().Single();
        Assert.Equal(1, worker.Restarts);
        Assert.Equal(_launcher.Started[1].ProcessId, worker.ProcessId);
        Assert.Contains("signal 9", worker.LastExitReason);
        Assert.Contains(Seen(), e => e is { Kind: WorkerEventKind.Exited, WorkerId: 1, ExitCode: 137 } && e.Detail!.Contains("signal 9"));

        _launcher.Started[1].Exit(3);
        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Restarting);

        // The supervisor arms its backoff timer just after it reports Restarting, so one jump of the fake clock could
        // land before the timer exists and never fire it: step the clock instead, and check how far it went.
        var backoffFrom = _time.GetUtcNow();
        await AdvanceUntilAsync(() => Workers().Single() is { State: WorkerState.Running, Generation: 3, Restarts: 2 }, TimeSpan.FromMilliseconds(1));
        var waited = _time.GetUtcNow() - backoffFrom;
        Assert.True(waited >= TimeSpan.FromMilliseconds(100), $"The second crash in a row restarted after {waited.TotalMilliseconds} ms, before its 100 ms backoff.");
        Assert.Equal(3, _launcher.Started.Count);
        Assert.Equal("exit code 3", Workers().Single().LastExitReason);
    }

    [Fact]
    public async Task A_crash_loop_marks_the_slot_failed_and_retries_only_at_the_capped_interval()
    {
        _options.Restart = new RestartOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(100),
            Factor = 2,
            MaxDelay = TimeSpan.FromSeconds(10),
            CrashLoopMaxRestarts = 2,
            CrashLoopWindow = TimeSpan.FromSeconds(60),
        };
        _launcher.OnStart = process => process.Exit(1);
        await StartAsync();

        // Crash 1 is retried at once, crash 2 after 100 ms; crash 3 trips the guard.
        await WaitUntilAsync(() => _launcher.Started.Count == 2 && Workers().Single().State == WorkerState.Restarting);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Failed);
        Assert.Equal(3, _launcher.Started.Count);
        Assert.Contains(Seen(), e => e.Kind == WorkerEventKind.Failed);

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(3, _launcher.Started.Count);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => _launcher.Started.Count == 4);
    }

    [Fact]
    public async Task A_worker_that_cannot_be_started_is_an_unplanned_exit_with_backoff_and_the_crash_loop_guard()
    {
        _options.Restart = new RestartOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(100),
            Factor = 2,
            MaxDelay = TimeSpan.FromSeconds(10),
            CrashLoopMaxRestarts = 2,
            CrashLoopWindow = TimeSpan.FromSeconds(60),
        };
        await StartAsync();
        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Running);
        _launcher.StartFailure = s_permissionDenied;

        // The crash is retried at once and that start fails: the next try waits for the backoff.
        _launcher.Started[0].Exit(137);
        await WaitUntilAsync(() => Workers().Single() is { State: WorkerState.Restarting, Restarts: 2 });
        var worker = Workers().Single();
        Assert.Equal(0, worker.ProcessId);
        Assert.Equal("could not be started: " + s_permissionDenied.Message, worker.LastExitReason);
        Assert.Contains(Seen(), e => e is { Kind: WorkerEventKind.Exited, ProcessId: 0 } && e.Detail!.Contains("Permission denied"));

        await AdvanceUntilAsync(() => Workers().Single() is { State: WorkerState.Failed, Restarts: 3 }, TimeSpan.FromMilliseconds(100));

        _launcher.StartFailure = null;
        await AdvanceUntilAsync(() => Workers().Single() is { State: WorkerState.Running, ProcessId: > 0 }, TimeSpan.FromSeconds(1));
        Assert.Equal(2, _launcher.Started.Count);
    }

    [Fact]
    public async Task Operations_whose_new_worker_cannot_be_started_fail_with_the_error_and_keep_the_old_workers()
    {
        _options.Workers = 2;
        await StartAsync();
        await WaitUntilAsync(() => Workers().All(w => w.State == WorkerState.Running) && _launcher.Started.Count == _options.Workers);
        var original = _launcher.Started.ToArray();
        _launcher.StartFailure = s_permissionDenied;

        var restart = await Operations.RestartWorkerAsync(1);
        Assert.Equal((false, "replacement could not be started: " + s_permissionDenied.Message), (restart.Succeeded, restart.Message));

        var rollout = await Operations.RollingRestartAsync();
        Assert.False(rollout.Succeeded);
        Assert.StartsWith("rolling restart stopped at worker 1: replacement could not be started: ", rollout.Message);
        Assert.All(original, p => Assert.Equal(0, p.StopRequests));
        Assert.Equal(original.Select(p => p.ProcessId).Order(), Workers().Select(w => w.ProcessId).Order());

        var scale = await Operations.ScaleAsync(3);
        Assert.False(scale.Succeeded);
        Assert.Equal("scaled from 2 to 3 workers, but worker 3 could not be started: " + s_permissionDenied.Message, scale.Message);
        Assert.Equal(3, Workers().Count);
        await WaitUntilAsync(() => Workers().Single(w => w.WorkerId == 3).State == WorkerState.Restarting);
    }

    [Fact]
    public async Task A_worker_that_makes_no_progress_for_the_liveness_timeout_is_killed_and_replaced()
    {
        _options.Health = new HealthProbeOptions
        {
            Interval = TimeSpan.FromSeconds(1),
            LivenessTimeout = TimeSpan.FromSeconds(2),
        };
        await StartAsync();
        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Running);
        await AdvanceUntilAsync(() => _launcher.Started[0].LastHeartbeat is not null, TimeSpan.FromMilliseconds(250));

        var hung = _launcher.Started[0];
        hung.Alive = false;
        hung.IgnoresStopRequests = true;
        var silentSince = _time.GetUtcNow();
        await AdvanceUntilAsync(() => hung.Killed, TimeSpan.FromMilliseconds(250));

        Assert.InRange(_time.GetUtcNow() - silentSince, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        Assert.Contains(Seen(), e => e.Kind == WorkerEventKind.Unhealthy && e.Detail!.Contains("no progress"));
        await WaitUntilAsync(() => Workers().Single() is { State: WorkerState.Running, Generation: 2 });
        Assert.Contains("liveness probe failed", Workers().Single().LastExitReason);
        Assert.Equal(1, Workers().Single().Restarts);
    }

    [Fact]
    public async Task A_worker_that_keeps_beating_is_never_killed()
    {
        _options.Health = new HealthProbeOptions { Interval = TimeSpan.FromSeconds(1), LivenessTimeout = TimeSpan.FromSeconds(2) };
        await StartAsync();
        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Running);

        for (var i = 0; i < 40; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }

        Assert.Single(_launcher.Started);
        Assert.False(_launcher.Started[0].Killed);
        Assert.True(Workers().Single().Healthy);
    }

    [Fact]
    public async Task A_rolling_restart_starts_each_replacement_before_stopping_the_old_worker()
    {
        _options.Workers = 2;
        await StartAsync();
        await WaitUntilAsync(() => Workers().All(w => w.State == WorkerState.Running) && _launcher.Started.Count == _options.Workers);
        var original = _launcher.Started.ToArray();
        var stoppedWhileReplacementNotReady = false;
        _events.Raised += e =>
        {
            lock (_seen)
            {
                if (e.Kind == WorkerEventKind.Stopping && !_seen.Any(s => s.Kind == WorkerEventKind.Listening && s.WorkerId == e.WorkerId && s.Generation == 2))
                {
                    stoppedWhileReplacementNotReady = true;
                }
            }
        };

        var result = await Operations.RollingRestartAsync();

        Assert.True(result.Succeeded, result.Message);
        Assert.False(stoppedWhileReplacementNotReady);
        lock (_seen)
        {
            // The ordering check above only looks at Stopping events: they must have been published.
            Assert.Equal(2, _seen.Count(e => e is { Kind: WorkerEventKind.Stopping, Generation: 1 }));
        }

        Assert.All(original, p => Assert.Equal(1, p.StopRequests));
        Assert.All(Workers(), w => Assert.Equal(2, w.Generation));
        Assert.All(Workers(), w => Assert.Equal(0, w.Restarts));
        Assert.DoesNotContain(Workers(), w => original.Any(p => p.ProcessId == w.ProcessId));
    }

    [Fact]
    public async Task A_rollout_whose_replacement_never_becomes_ready_stops_and_keeps_the_old_workers()
    {
        _options.Workers = 2;
        _options.Health = new HealthProbeOptions { StartupTimeout = TimeSpan.FromSeconds(5) };
        await StartAsync();
        await WaitUntilAsync(() => Workers().All(w => w.State == WorkerState.Running) && _launcher.Started.Count == _options.Workers);
        var original = _launcher.Started.ToArray();
        _launcher.OnStart = process => process.Ready = false;

        var rollout = Operations.RollingRestartAsync();
        await AdvanceUntilAsync(() => rollout.IsCompleted, TimeSpan.FromMilliseconds(500));
        var result = await rollout;

        Assert.False(result.Succeeded);
        Assert.Contains("not ready within 5 s", result.Message);
        Assert.All(original, p => Assert.Equal(0, p.StopRequests));
        Assert.Equal(original.Select(p => p.ProcessId).Order(), Workers().Select(w => w.ProcessId).Order());
        Assert.Equal(3, _launcher.Started.Count);
    }

    [Fact]
    public async Task A_worker_whose_status_probe_times_out_is_not_listed_until_it_says_its_port()
    {
        // In proxy mode the port is where the proxy forwards: guessing the public port would make the primary forward to itself.
        _launcher.OnStart = process => process.ReportedPort = null;
        var startedAt = _time.GetUtcNow();
        await StartAsync();
        await AdvanceUntilAsync(() => _launcher.Started.Count == 1, TimeSpan.FromMilliseconds(100));
        await AdvanceUntilAsync(() => _time.GetUtcNow() >= startedAt + TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100));
        var whileSilent = Workers().Single();

        _launcher.Started[0].ReportedPort = 41000;
        await AdvanceUntilAsync(() => Workers().Single().State == WorkerState.Running, TimeSpan.FromMilliseconds(100));

        Assert.NotEqual(WorkerState.Running, whileSilent.State);
        Assert.False(whileSilent.Ready);
        Assert.Equal((41000, true), (Workers().Single().Port, Workers().Single().Ready));
    }

    [Fact]
    public async Task Scaling_adds_workers_and_drains_the_ones_it_removes()
    {
        _options.Workers = 2;
        await StartAsync();
        await WaitUntilAsync(() => Workers().All(w => w.State == WorkerState.Running) && _launcher.Started.Count == _options.Workers);

        Assert.True((await Operations.ScaleAsync(4)).Succeeded);
        await WaitUntilAsync(() => Workers().Count == 4 && Workers().All(w => w.State == WorkerState.Running));

        Assert.True((await Operations.ScaleAsync(1)).Succeeded);
        Assert.Equal([1], Workers().Select(w => w.WorkerId));
        Assert.Equal(3, _launcher.Started.Count(p => p.StopRequests == 1));

        var refused = await Operations.ScaleAsync(0);
        Assert.False(refused.Succeeded);
        Assert.Contains("Cluster:Workers must be a whole number in 1..256", refused.Message);
    }

    [Fact]
    public async Task Scale_up_returns_only_once_the_new_worker_is_running_and_ready()
    {
        await StartAsync();
        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Running);
        _launcher.OnStart = process => process.Ready = false;

        var scale = Operations.ScaleAsync(2);
        await WaitUntilAsync(() => _launcher.Started.Count == 2);
        var notReadyUntil = _time.GetUtcNow() + TimeSpan.FromSeconds(1);
        await AdvanceUntilAsync(() => scale.IsCompleted || _time.GetUtcNow() >= notReadyUntil, TimeSpan.FromMilliseconds(50));
        Assert.False(scale.IsCompleted, "scale returned while its new worker was not ready yet");

        _launcher.Started[1].Ready = true;
        await AdvanceUntilAsync(() => scale.IsCompleted, TimeSpan.FromMilliseconds(50));
        var result = await scale;

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("scaled from 1 to 2 workers", result.Message);
        Assert.Equal((WorkerState.Running, true), (Workers()[1].State, Workers()[1].Ready));
    }

    [Fact]
    public async Task Scale_up_whose_new_worker_never_gets_ready_says_so_when_the_startup_timeout_ends()
    {
        _options.Health = new HealthProbeOptions { StartupTimeout = TimeSpan.FromSeconds(5) };
        await StartAsync();
        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Running);
        _launcher.OnStart = process => process.Ready = false;
        var asked = _time.GetUtcNow();

        var scale = Operations.ScaleAsync(2);
        await AdvanceUntilAsync(() => scale.IsCompleted, TimeSpan.FromMilliseconds(250));
        var result = await scale;

        Assert.False(result.Succeeded);
        Assert.Equal($"scaled from 1 to 2 workers, but worker 2 (pid {_launcher.Started[1].ProcessId}) was not ready: not ready within 5 s: its readiness checks did not pass", result.Message);
        Assert.InRange(_time.GetUtcNow() - asked, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task Workers_added_by_a_scale_up_get_their_share_of_the_cores_for_the_new_count()
    {
        _options.Workers = 1;
        await StartAsync();
        await WaitUntilAsync(() => Workers().Single().State == WorkerState.Running);

        Assert.True((await Operations.ScaleAsync(4)).Succeeded);
        await WaitUntilAsync(() => _launcher.Started.Count == 4);

        Assert.Equal("8", _launcher.Started[0].Spec.Environment["DOTNET_PROCESSOR_COUNT"]);
        Assert.All(_launcher.Started.Skip(1), p => Assert.Equal("2", p.Spec.Environment["DOTNET_PROCESSOR_COUNT"]));
    }

    [Fact]
    public async Task Stopping_drains_every_worker_and_kills_the_ones_that_outlive_the_drain_timeout()
    {
        _options.Workers = 2;
        await StartAsync();
        await WaitUntilAsync(() => Workers().All(w => w.State == WorkerState.Running) && _launcher.Started.Count == _options.Workers);
        _launcher.Started[1].IgnoresStopRequests = true;

        var stop = Supervisor.StopAsync(CancellationToken.None);
        await WaitUntilAsync(() => _launcher.Started.All(p => p.StopRequests == 1));
        Assert.False(_launcher.Started[1].Killed);
        _time.Advance(_options.DrainTimeout);
        await stop.WaitAsync(s_conditionBudget);
        _supervisor = null;

        Assert.False(_launcher.Started[0].Killed);
        Assert.True(_launcher.Started[1].Killed);
        Assert.Equal(2, _launcher.Started.Count);
    }

    private IReadOnlyList<WorkerSnapshot> Workers() => Supervisor.GetWorkers();

    private async Task StartAsync()
    {
        _events.Raised += e =>
        {
            lock (_seen)
            {
                _seen.Add(e);
            }
        };
        _services = SupervisionServices.Build(_options, services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton<IWorkerLauncher>(_launcher);
            services.AddSingleton<IWorkerManagementClientFactory>(_launcher);
            services.AddSingleton<IWorkerHeartbeats>(_launcher);
            services.AddSingleton(_events);
            services.AddSingleton(provider => new WorkerEnvironment(provider.GetRequiredService<IOptions<ClusterOptions>>(), provider.GetRequiredService<ListenerModeSelector>())
            {
                Read = _ => null,
                ProcessorCount = ProcessorCount,
            });
        });
        _supervisor = _services.GetRequiredService<ClusterSupervisor>();
        await _supervisor.StartAsync(CancellationToken.None);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var budget = new CancellationTokenSource(s_conditionBudget);
        while (!condition())
        {
            await Task.Delay(5, budget.Token);
        }
    }

    /// <summary>Moves the fake clock forward step by step, letting the supervisor react, until the condition holds.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan step)
    {
        using var budget = new CancellationTokenSource(s_conditionBudget);
        while (!condition())
        {
            _time.Advance(step);
            await Task.Delay(5, budget.Token);
        }
    }

    // The supervisor adds events on its own threads, under the same lock.
    private WorkerLifecycleEvent[] Seen()
    {
        lock (_seen)
        {
            return [.. _seen];
        }
    }
}
