using System.Diagnostics;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The private endpoints the primary probes. They answer only on the management socket:
/// on the public port they do not exist.
/// </summary>
internal static class ManagementEndpoints
{
    public static IEndpointRouteBuilder MapClusterManagement(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").AddEndpointFilter(static async (invocation, next) =>
            invocation.HttpContext.Features.Get<ManagementConnectionFeature>() is null
                ? Results.NotFound()
                : await next(invocation));

        group.MapGet(ManagementPaths.Alive, static async (HealthCheckService health, CancellationToken ct) =>
            ToResult(await health.CheckHealthAsync(static check => check.Tags.Contains("live"), ct)));

        group.MapGet(ManagementPaths.Ready, static async (HealthCheckService health, IHostApplicationLifetime lifetime, PublicListenerGate gate, CancellationToken ct) =>
        {
            if (!lifetime.ApplicationStarted.IsCancellationRequested)
            {
                return Results.Text("starting", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return Results.Text("draining", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var report = await health.CheckHealthAsync(ct);
            if (report.Status != HealthStatus.Unhealthy && !gate.IsOpen)
            {
                try
                {
                    // Ready: start listening on the public port before saying so.
                    await gate.OpenAsync(ct);
                }
                catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException)
                {
                    return Results.Text("cannot listen on the public port: " + exception.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            }

            return ToResult(report);
        });

        group.MapGet(ManagementPaths.Info, static (ClusterWorkerContext context, WorkerRequestCounter counter, IServer server) =>
        {
            using var process = Process.GetCurrentProcess();
            return Results.Ok(new WorkerStatusReport(
                context.WorkerId,
                context.Generation,
                context.ProcessId,
                PublicPort(server),
                counter.Served,
                process.WorkingSet64));
        });

        return endpoints;
    }

    private static IResult ToResult(HealthReport report) =>
        Results.Text(report.Status.ToString(), statusCode: report.Status == HealthStatus.Unhealthy
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status200OK);

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
