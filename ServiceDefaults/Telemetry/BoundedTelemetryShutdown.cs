using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ClusterTemplate.ServiceDefaults.Telemetry;

/// <summary>
/// Flushes and shuts the OpenTelemetry providers down once the host has stopped, within <see cref="Budget"/>
/// in all. Left to themselves, the providers flush when the service provider is disposed and wait for the
/// exporter's retries: against a collector that is gone (the Aspire dashboard stops before the apps it shows)
/// that kept a stopping process alive for about 10 s, past the point where it is killed. Spans of requests
/// drained during the stop are still exported: this runs after every hosted service, Kestrel's included, has stopped.
/// </summary>
internal sealed class BoundedTelemetryShutdown(IServiceProvider services, IHostApplicationLifetime lifetime) : IHostedService
{
    /// <summary>The most the flush at exit may take, for traces, metrics and logs together.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopped.Register(Shutdown);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Shutdown()
    {
        _registration.Dispose();
        var elapsed = Stopwatch.StartNew();
        int Remaining() => (int)Math.Max(0, (Budget - elapsed.Elapsed).TotalMilliseconds);

        services.GetService<TracerProvider>()?.Shutdown(Remaining());
        services.GetService<MeterProvider>()?.Shutdown(Remaining());
        services.GetService<LoggerProvider>()?.Shutdown(Remaining());
    }
}
