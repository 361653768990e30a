using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;
using Microsoft.Extensions.Hosting;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The worker's liveness signal. A dedicated thread (not a thread-pool thread, which a starved pool would
/// never run) looks at the process every <see cref="Period"/> and, when it made progress, sets the
/// heartbeat file's modification time. Progress is any of: a thread-pool work item completed since the last
/// look, nothing is queued, or the process used at least <see cref="BusyCpu"/> of CPU time. A worker busy
/// with long CPU-bound requests may complete nothing for seconds, but it burns CPU, so it stays alive; a
/// worker whose pool is starved by blocked threads does neither, and a stopped process cannot beat at all:
/// both fall silent, and the primary replaces them. A request-based probe cannot tell busy from hung: it
/// waits in the same queue as the busy requests.
/// </summary>
/// <remarks>The same beat tells the other workers of the shared mode that this one is alive (<see cref="AcceptBalancer.Beat"/>).</remarks>
internal sealed class ProgressHeartbeat(ClusterWorkerContext context, AcceptBalancing? balancing = null) : IHostedService, IDisposable
{
    /// <summary>How often the heartbeat thread looks at the thread pool.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    /// <summary>CPU time per <see cref="Period"/> that counts as work: a tenth of a core, far above what an idle or blocked runtime uses.</summary>
    public static readonly TimeSpan BusyCpu = Period / 10;

    private readonly ManualResetEventSlim _stop = new();
    private Thread? _thread;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (context.HeartbeatFile is { Length: > 0 } path)
        {
            File.WriteAllBytes(path, []);
            _thread = new Thread(() => Run(path)) { IsBackground = true, Name = "Cluster liveness heartbeat" };
            _thread.Start();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _stop.Set();
        _thread?.Join(Period * 2);
        _stop.Dispose();
    }

    private void Run(string path)
    {
        var completed = ThreadPool.CompletedWorkItemCount;
        var cpu = Environment.CpuUsage.TotalTime;

        // A blocking wait on purpose: this thread must not depend on the thread pool or on timers it runs.
        while (!_stop.Wait(Period))
        {
            var completedNow = ThreadPool.CompletedWorkItemCount;
            var cpuNow = Environment.CpuUsage.TotalTime;
            if (completedNow != completed || ThreadPool.PendingWorkItemCount == 0 || cpuNow - cpu >= BusyCpu)
            {
                Beat(path);
                balancing?.Balancer?.Beat();
            }

            completed = completedNow;
            cpu = cpuNow;
        }
    }

    private static void Beat(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (IOException)
        {
            // The primary removed the runtime folder: it is gone or stopping this worker; the watchdog handles that.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
