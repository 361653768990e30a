using System.Runtime.InteropServices;
using ClusterTemplate.Primary.Configuration;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Probes;

/// <summary>
/// Holds the stop for <c>Cluster:ShutdownDelay</c> between the primary's stopping signal and the drain. <c>/readyz</c>
/// answers 503 from the signal on, while the workers (and, in proxy mode, the primary's listener) still accept, so a load
/// balancer that polls it takes the node out before any connection is refused. A second SIGTERM or SIGINT ends the wait.
/// </summary>
/// <remarks>
/// A lifecycle service: the host runs every <see cref="IHostedLifecycleService.StoppingAsync"/> after it raised
/// ApplicationStopping and before the first <see cref="IHostedService.StopAsync"/>, so nothing has started to stop yet.
/// </remarks>
internal sealed partial class ShutdownDelay(IOptions<ClusterOptions> options, TimeProvider time, ILogger<ShutdownDelay> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.ShutdownDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        Log.Waiting(logger, delay.TotalSeconds);
        using var again = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => EndEarly(context, again));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => EndEarly(context, again));
        try
        {
            await Task.Delay(delay, time, again.Token).ConfigureAwait(false);
            Log.Over(logger);
        }
        catch (OperationCanceledException)
        {
            Log.Cut(logger);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void EndEarly(PosixSignalContext context, CancellationTokenSource wait)
    {
        context.Cancel = true;
        wait.Cancel();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Stopping: /readyz answers 503; the workers keep serving for the shutdown delay ({DelaySeconds:0.###} s) before they drain", EventName = "ShutdownDelayStarted")]
        public static partial void Waiting(ILogger logger, double delaySeconds);

        [LoggerMessage(2, LogLevel.Information, "Shutdown delay over: draining the workers", EventName = "ShutdownDelayOver")]
        public static partial void Over(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "Shutdown delay cut short (a second stop signal or the host's shutdown timeout): draining the workers", EventName = "ShutdownDelayCut")]
        public static partial void Cut(ILogger logger);
    }
}
