using System;
using System.IO;
using System.Threading.Tasks;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The private endpoints the primary probes, served by <see cref="ManagementServer"/> on the management socket only.
/// They are dispatched by path, not routed: they add nothing to the app's endpoints (no OpenAPI entry, no route clash).
/// </summary>
internal sealed class ManagementEndpoints(IServiceProvider services)
{
    private readonly HealthCheckService _health = services.GetRequiredService<HealthCheckService>();
    private readonly IHostApplicationLifetime _lifetime = services.GetRequiredService<IHostApplicationLifetime>();
    private readonly PublicListenerGate _gate = services.GetRequiredService<PublicListenerGate>();
    private readonly ClusterWorkerContext _context = services.GetRequiredService<ClusterWorkerContext>();
    private readonly WorkerRequestCounter _counter = services.GetRequiredService<WorkerRequestCounter>();
    private readonly IServer _server = services.GetRequiredService<IServer>();

    public Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        return context.Request.Path.Value switch
        {
            ManagementPaths.Alive => AliveAsync(context),
            ManagementPaths.Ready => ReadyAsync(context),
            ManagementPaths.Info => InfoAsync(context),
            _ => NotFound(context),
        };
    }

    private async Task AliveAsync(HttpContext context) =>
        await WriteAsync(context, await _health.CheckHealthAsync(static check => check.Tags.Contains("live"), context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);

    private async Task ReadyAsync(HttpContext context)
    {
        if (!_lifetime.ApplicationStarted.IsCancellationRequested)
        {
            await WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, "starting").ConfigureAwait(false);
            return;
        }

        if (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, "draining").ConfigureAwait(false);
            return;
        }

        var report = await _health.CheckHealthAsync(context.RequestAborted).ConfigureAwait(false);
        if (report.Status != HealthStatus.Unhealthy && !_gate.IsOpen)
        {
            try
            {
                // Ready: start listening on the public port before saying so.
                await _gate.OpenAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException)
            {
                await WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, "cannot listen on the public port: " + exception.Message).ConfigureAwait(false);
                return;
            }
        }

        await WriteAsync(context, report).ConfigureAwait(false);
    }

    private async Task InfoAsync(HttpContext context)
    {
        var report = new WorkerStatusReport(
            _context.WorkerId,
            _context.Generation,
            _context.ProcessId,
            PublicPort(_server),
            _counter.Served,
            Environment.WorkingSet);
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(report, ManagementJsonContext.Default.WorkerStatusReport, contentType: null, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report) =>
        WriteTextAsync(
            context,
            report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK,
            report.Status.ToString());

    private static Task WriteTextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static int PublicPort(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (!address.StartsWith("http://unix:", StringComparison.OrdinalIgnoreCase)
                && BindingAddress.Parse(address) is { Port: > 0 } binding)
            {
                return binding.Port;
            }
        }

        return 0;
    }
}
