using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Stops the worker when its primary is gone. The primary holds the write end of the worker's
/// standard input open for the worker's whole life and never writes to it, so end-of-file on
/// stdin means the primary exited, however it died (even <c>kill -9</c>).
/// </summary>
internal sealed partial class PrimaryWatchdog(
    IHostApplicationLifetime lifetime,
    ClusterWorkerContext context,
    TimeProvider timeProvider,
    ILogger<PrimaryWatchdog> logger) : BackgroundService
{
    private ITimer? _exitTimer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Reading stdin blocks a thread on Unix, so it gets its own rather than a pool thread.
        var eof = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = new Thread(() =>
        {
            try
            {
                using var stdin = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            eof.TrySetResult();
        })
        {
            IsBackground = true,
            Name = "Cluster primary watchdog",
        };
        reader.Start();

        await eof.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var deadline = context.Drain.OrphanExitDeadline;
        Log.PrimaryGone(logger, context.WorkerId, deadline.TotalSeconds);

        // If the graceful stop outlives the deadline, leave anyway: nobody supervises this process any more.
        _exitTimer = timeProvider.CreateTimer(_ => Environment.Exit(0), null, deadline, Timeout.InfiniteTimeSpan);
        lifetime.StopApplication();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Primary is gone (stdin closed); worker {WorkerId} stops within {DeadlineSeconds} s.", EventName = "PrimaryGone")]
        public static partial void PrimaryGone(ILogger logger, int workerId, double deadlineSeconds);
    }
}
