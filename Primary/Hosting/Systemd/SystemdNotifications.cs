using System.Net.Sockets;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Supervision;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Hosting.Systemd;

/// <summary>
/// Tells systemd (<c>Type=notify-reload</c>) what the cluster does, from its supervision events: <c>READY=1</c> once
/// every initial worker is ready (not when the host has started), <c>RELOADING=1</c> and then <c>READY=1</c> around
/// each rolling restart, <c>STOPPING=1</c> when the primary starts stopping, and a <c>STATUS=</c> line whenever the
/// number of ready workers changes. Sends nothing when the primary was not started by systemd (no <c>NOTIFY_SOCKET</c>).
/// </summary>
internal sealed partial class SystemdNotifications(
    ISystemdNotifier notifier,
    ClusterEvents events,
    ClusterOperations operations,
    ClusterSupervisor supervisor,
    ListenerModeSelector modes,
    IOptions<ClusterOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SystemdNotifications> logger) : IHostedService
{
    private readonly Lock _gate = new();
    private CancellationTokenRegistration _stopping;
    private bool _ready;
    private bool _reloading;
    private bool _stopped;
    private string? _lastReload;
    private string? _lastStatus;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!notifier.IsEnabled)
        {
            return Task.CompletedTask;
        }

        events.Raised += OnWorkerEvent;
        operations.RolloutStarted += OnRolloutStarted;
        operations.RolloutEnded += OnRolloutEnded;
        _stopping = lifetime.ApplicationStopping.Register(OnStopping);
        lock (_gate)
        {
            // Before the init (if any) and the first workers: the worker table is still empty.
            _lastStatus = SystemdStatusText.Starting(options.Value.Workers, options.Value.Port, modes.Current.Name);
            Send(SystemdMessages.Status(_lastStatus));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        events.Raised -= OnWorkerEvent;
        operations.RolloutStarted -= OnRolloutStarted;
        operations.RolloutEnded -= OnRolloutEnded;
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    private void OnWorkerEvent(WorkerLifecycleEvent item)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            var workers = supervisor.GetWorkers();
            var status = Describe(workers);
            if (!_ready && workers.Count > 0 && workers.All(worker => worker.Ready))
            {
                _ready = true;
                Log.Ready(logger, workers.Count);
                Send(SystemdMessages.Ready(status));
            }
            else if (status != _lastStatus)
            {
                Send(SystemdMessages.Status(status));
            }

            _lastStatus = status;
        }
    }

    private void OnRolloutStarted()
    {
        lock (_gate)
        {
            // A reload before the first READY=1, or while stopping, is no reload systemd waits for.
            if (!_ready || _stopped)
            {
                return;
            }

            _reloading = true;
            _lastStatus = Describe(supervisor.GetWorkers());
            Send(SystemdMessages.Reloading(MonotonicClock.NowMicroseconds(), _lastStatus));
        }
    }

    private void OnRolloutEnded(ClusterOperationResult result)
    {
        lock (_gate)
        {
            if (!_reloading)
            {
                return;
            }

            _reloading = false;
            _lastReload = SystemdStatusText.LastReload(result);
            _lastStatus = Describe(supervisor.GetWorkers());
            if (!_stopped)
            {
                Send(SystemdMessages.Ready(_lastStatus));
            }
        }
    }

    private void OnStopping()
    {
        lock (_gate)
        {
            _stopped = true;
            Send(SystemdMessages.Stopping(SystemdStatusText.Stopping(supervisor.GetWorkers().Count)));
        }
    }

    private string Describe(IReadOnlyList<WorkerSnapshot> workers) =>
        SystemdStatusText.Workers(workers, options.Value.Port, modes.Current.Name, _reloading, _lastReload);

    private void Send(ServiceState message)
    {
        try
        {
            notifier.Notify(message);
        }
        catch (SocketException exception)
        {
            Log.SendFailed(logger, message.ToString(), exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "All {Workers} workers are ready: READY=1 sent to systemd", EventName = "SystemdReady")]
        public static partial void Ready(ILogger logger, int workers);

        [LoggerMessage(2, LogLevel.Warning, "Could not notify systemd ({Message})", EventName = "SystemdNotifyFailed")]
        public static partial void SendFailed(ILogger logger, string message, Exception exception);
    }
}
