using System.Text.Json;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Supervision;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Control;

/// <summary>
/// The control API, served only on the primary's control socket (a Unix domain socket in a 0700
/// folder): the command-line client and the AppHost use it.
/// </summary>
public static class ControlApi
{
    /// <summary>Routes of the control API, for clients.</summary>
    public static class Routes
    {
        /// <summary>GET: the worker table.</summary>
        public const string Status = "/control/status";

        /// <summary>GET: lifecycle events as newline-delimited JSON, as they happen.</summary>
        public const string Events = "/control/events";

        /// <summary>POST: rolling restart of all workers.</summary>
        public const string Reload = "/control/reload";

        /// <summary>POST <c>/control/scale/{count}</c>: scale to a number of workers.</summary>
        public const string Scale = "/control/scale/{count:int}";

        /// <summary>POST <c>/control/workers/{id}/restart</c>: replace one worker.</summary>
        public const string RestartWorker = "/control/workers/{id:int}/restart";

        /// <summary>The <see cref="Scale"/> path for <paramref name="count"/> workers.</summary>
        public static string ScaleTo(int count) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/control/scale/{count}");

        /// <summary>The <see cref="RestartWorker"/> path for worker <paramref name="id"/>.</summary>
        public static string RestartWorkerWithId(int id) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/control/workers/{id}/restart");
    }

    /// <summary>Maps the control API; it answers only on the control socket (see <see cref="ControlEndpointMatcherPolicy"/>).</summary>
    public static IEndpointRouteBuilder MapClusterControl(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("").WithMetadata(ControlEndpointMetadata.Instance);
        endpoints.MapGet(Routes.Status, (ClusterSupervisor supervisor, ListenerModeSelector modes, IOptions<ClusterOptions> options) =>
            new ClusterStatus(Environment.ProcessId, options.Value.Port, modes.Current.Name, supervisor.GetWorkers()));

        endpoints.MapGet(Routes.Events, async (HttpContext context, ClusterEvents events, IHostApplicationLifetime lifetime, CancellationToken requestAborted) =>
        {
            // The stream never ends by itself: it must end when the primary stops, or the shutdown waits for it.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
            var cancellationToken = stopping.Token;
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.Body.FlushAsync(cancellationToken);
            var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            try
            {
                await foreach (var item in events.SubscribeAsync(cancellationToken))
                {
                    await JsonSerializer.SerializeAsync(context.Response.Body, item, options, cancellationToken);
                    await context.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        });

        endpoints.MapPost(Routes.Reload, async (ClusterOperations operations, CancellationToken cancellationToken) =>
            ToResult(await operations.RollingRestartAsync(cancellationToken)));

        endpoints.MapPost(Routes.Scale, async (int count, ClusterOperations operations, CancellationToken cancellationToken) =>
            ToResult(await operations.ScaleAsync(count, cancellationToken)));

        endpoints.MapPost(Routes.RestartWorker, async (int id, ClusterOperations operations, CancellationToken cancellationToken) =>
            ToResult(await operations.RestartWorkerAsync(id, cancellationToken)));

        return app;
    }

    private static IResult ToResult(ClusterOperationResult result) =>
        result.Succeeded ? Results.Ok(result) : Results.Json(result, statusCode: StatusCodes.Status409Conflict);
}
