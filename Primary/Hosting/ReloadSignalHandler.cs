using System.Runtime.InteropServices;
using ClusterTemplate.Primary.Supervision;

namespace ClusterTemplate.Primary.Hosting;

/// <summary>SIGHUP to the primary starts a rolling restart, as with gunicorn and nginx.</summary>
internal sealed partial class ReloadSignalHandler(ClusterOperations operations, ILogger<ReloadSignalHandler> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                Log.ReloadSignal(logger);
                _ = Task.Run(() => operations.RollingRestartAsync());
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "SIGHUP received: rolling restart of all workers", EventName = "ReloadSignal")]
        public static partial void ReloadSignal(ILogger logger);
    }
}
