using System.Text.Json;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Probes;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Supervision;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Control;

/// <summary>
/// The control API, served only on the primary's control socket (a Unix domain socket in a 0700
/// folder): the command-line client and the AppHost use it.
/// </summary>
public static class ControlApi
{
    /// <summary>Maps the control API; it answers only on the control socket (see <see cref="ControlEndpointMatcherPolicy"/>).</summary>
    public static IEndpointRouteBuilder MapClusterControl(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("").WithMetadata(ControlEndpointMetadata.Instance);
        endpoints.MapClusterProbes();
        endpoints.MapGet(ControlRoutes.Status, (ClusterSupervisor supervisor, ListenerModeSelector modes, IOptions<ClusterOptions> options) =>
            new ClusterStatus(Environment.ProcessId, options.Value.Port, modes.Current.Name, supervisor.GetWorkers()));

        endpoints.MapGet(ControlRoutes.Events, (HttpContext context, ClusterEvents events, IHostApplicationLifetime lifetime, CancellationToken requestAborted) =>
            StreamAsync(context, lifetime, requestAborted, events.SubscribeAsync));

        endpoints.MapGet(ControlRoutes.Output, (HttpContext context, WorkerOutput output, IHostApplicationLifetime lifetime, long? after, CancellationToken requestAborted) =>
            StreamAsync(context, lifetime, requestAborted, cancellationToken => output.SubscribeAsync(after ?? 0, cancellationToken)));

        endpoints.MapPost(ControlRoutes.Reload, async (ClusterOperations operations, CancellationToken cancellationToken) =>
            ToResult(await operations.RollingRestartAsync(cancellationToken)));

        endpoints.MapPost(ControlRoutes.Scale, async (int count, ClusterOperations operations, CancellationToken cancellationToken) =>
            ToResult(await operations.ScaleAsync(count, cancellationToken)));

        endpoints.MapPost(ControlRoutes.RestartWorker, async (int id, ClusterOperations operations, CancellationToken cancellationToken) =>
            ToResult(await operations.RestartWorkerAsync(id, cancellationToken)));

        return app;
    }

    /// <summary>Writes <paramref name="items"/> as newline-delimited JSON until the client goes or the primary stops.</summary>
    private static async Task StreamAsync<T>(HttpContext context, IHostApplicationLifetime lifetime, CancellationToken requestAborted, Func<CancellationToken, IAsyncEnumerable<T>> items)
    {
        // The stream never ends by itself: it must end when the primary stops, or the shutdown waits for it.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stopping.Token;
        context.Response.ContentType = "application/x-ndjson";
        await context.Response.Body.FlushAsync(cancellationToken);
        try
        {
            await foreach (var item in items(cancellationToken))
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, item, ControlJson.Options, cancellationToken);
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static IResult ToResult(ClusterOperationResult result) =>
        result.Succeeded ? Results.Ok(result) : Results.Json(result, statusCode: StatusCodes.Status409Conflict);
}
