using ClusterTemplate.Primary.Supervision;
using Microsoft.Extensions.Hosting.Systemd;

namespace ClusterTemplate.Primary.Hosting.Systemd;

/// <summary>
/// Pings systemd's watchdog (<c>WATCHDOG=1</c>) at half the <c>WatchdogSec=</c> interval while the primary
/// supervises: a primary whose thread pool is stuck sends nothing (the ping is a timer callback), and one
/// whose slot loop died with an error, or whose supervisor stopped ticking (the same <see cref="SupervisorHeartbeat"/>
/// that <c>/healthz</c> reads), stops pinging, so systemd kills and restarts the service.
/// </summary>
internal sealed partial class SystemdWatchdog(
    ISystemdNotifier notifier,
    WorkerSlots slots,
    SupervisorHeartbeat heartbeat,
    TimeProvider time,
    TimeSpan? interval,
    ILogger<SystemdWatchdog> logger) : IHostedService, IDisposable
{
    private ITimer? _timer;
    private bool _saidUnhealthy;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled && interval is { } watchdog)
        {
            var period = watchdog / 2;
            Log.Enabled(logger, watchdog.TotalSeconds, period.TotalSeconds);
            Ping();
            _timer = time.CreateTimer(_ => Ping(), null, period, period);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Ping()
    {
        if (slots.All().FirstOrDefault(slot => slot.Loop.IsFaulted) is { } broken)
        {
            if (!_saidUnhealthy)
            {
                _saidUnhealthy = true;
                Log.Unhealthy(logger, broken.WorkerId, broken.Loop.Exception);
            }

            return;
        }

        if (!heartbeat.IsAlive)
        {
            if (!_saidUnhealthy)
            {
                _saidUnhealthy = true;
                Log.SupervisorStuck(logger, heartbeat.Age?.TotalSeconds ?? 0);
            }

            return;
        }

        notifier.Notify(SystemdMessages.Watchdog);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "systemd watchdog every {IntervalSeconds:0.###} s: pinging every {PeriodSeconds:0.###} s", EventName = "SystemdWatchdogEnabled")]
        public static partial void Enabled(ILogger logger, double intervalSeconds, double periodSeconds);

        [LoggerMessage(2, LogLevel.Critical, "The supervision loop of worker {WorkerId} failed: no more systemd watchdog pings", EventName = "SystemdWatchdogStopped")]
        public static partial void Unhealthy(ILogger logger, int workerId, Exception? exception);

        [LoggerMessage(3, LogLevel.Critical, "The supervisor has not ticked for {Seconds:0.#} s: no more systemd watchdog pings", EventName = "SystemdWatchdogSupervisorStuck")]
        public static partial void SupervisorStuck(ILogger logger, double seconds);
    }
}
