using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.Extensions.Hosting;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The host lifetime of a worker under a primary. SIGTERM (from the primary) stops the worker
/// gracefully. SIGINT is ignored: Ctrl+C in a terminal reaches the whole process group, and the
/// primary, not each worker on its own, decides the order in which the cluster drains.
/// A stop closes the public listener first, lets open public connections end on their own
/// (<see cref="PublicConnectionDrain"/>), then starts the host's graceful stop.
/// </summary>
internal sealed class ClusterWorkerLifetime(
    IHostApplicationLifetime lifetime,
    ClusterListenSockets listenSockets,
    PublicConnectionDrain connections,
    ClusterWorkerContext context,
    IWorkerListenerMode mode,
    TimeProvider timeProvider) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _stopping;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, static context => context.Cancel = true));
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop));
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }

        _ = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        try
        {
            listenSockets.CloseAll();
            await connections.DrainAsync(mode.ConnectionGrace(context.Drain), timeProvider).ConfigureAwait(false);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
