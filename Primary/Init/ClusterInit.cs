using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Init;

/// <summary>
/// Runs the worker program once in the init role (<c>CLUSTER_ROLE=init</c>, no slot, listener or management socket) and
/// waits for its exit, bounded by <c>Cluster:Init:Timeout</c>: before the workers start, and before each rollout when
/// <c>Cluster:Init:When</c> says so. Its output passes through prefixed <c>[init pid P]</c>; a failure keeps its last lines.
/// </summary>
internal sealed class ClusterInit(
    IOptions<ClusterOptions> options,
    IWorkerLauncher launcher,
    WorkerEnvironment environment,
    TimeProvider time,
    ILogger<ClusterInit> logger)
{
    private readonly InitOptions _settings = options.Value.Init;

    /// <summary>Whether the init runs before the workers start with the primary.</summary>
    public bool RunsAtStart => InitSchedule.RunsAtStart(_settings.When);

    /// <summary>Whether the init runs before each rolling restart.</summary>
    public bool RunsBeforeRollouts => InitSchedule.RunsBeforeRollouts(_settings.When);

    /// <summary>
    /// Runs the init to its end; <paramref name="occasion"/> ("start", "rollout") is for the log. Cancelling kills it:
    /// a failure too, since its work may be half done.
    /// </summary>
    public async Task<ClusterInitResult> RunAsync(string occasion, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        IWorkerProcess process;
        try
        {
            process = launcher.Start(WorkerLaunchSpec.Init(environment.CreateInit()));
        }
        catch (Exception exception)
        {
            return Failed(ClusterInitResult.Fail($"the cluster init could not be started: {exception.Message}", []));
        }

        using (process)
        {
            ClusterInitLog.Started(logger, process.ProcessId, occasion);
            using var timeout = new CancellationTokenSource(_settings.Timeout, time);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            WorkerExit exit;
            try
            {
                exit = await process.Exited.WaitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.Exited.ConfigureAwait(false);
                var why = cancellationToken.IsCancellationRequested
                    ? $"was killed: the {occasion} was cancelled"
                    : $"did not finish within Cluster:Init:Timeout ({_settings.Timeout}) and was killed";
                return Failed(ClusterInitResult.Fail(string.Create(CultureInfo.InvariantCulture, $"the cluster init (pid {process.ProcessId}) {why}"), process.RecentOutput));
            }

            var seconds = time.GetElapsedTime(started).TotalSeconds;
            if (exit.ExitCode == 0 && exit.StartFailure is null)
            {
                ClusterInitLog.Completed(logger, process.ProcessId, seconds);
                return ClusterInitResult.Success(string.Create(CultureInfo.InvariantCulture, $"the cluster init (pid {process.ProcessId}) completed in {seconds:0.0} s"));
            }

            return Failed(ClusterInitResult.Fail(
                string.Create(CultureInfo.InvariantCulture, $"the cluster init (pid {process.ProcessId}) failed: {exit} after {seconds:0.0} s"),
                process.RecentOutput));
        }
    }

    private ClusterInitResult Failed(ClusterInitResult result)
    {
        ClusterInitLog.Failed(logger, result.Message);
        return result;
    }
}
