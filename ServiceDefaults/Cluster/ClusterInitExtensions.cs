using System;
using System.Threading;
using System.Threading.Tasks;
using ClusterTemplate.ServiceDefaults.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>The app's one-time start-up work (migrations, schema set-up, seeding), run once per cluster instead of once per worker.</summary>
public static partial class ClusterInitExtensions
{
    /// <summary>
    /// Runs <paramref name="init"/>, the app's one-time work, where it belongs:
    /// <list type="bullet">
    /// <item>in the primary's init run (<c>Cluster:Init:When</c> is <c>start</c> or <c>every-rollout</c>): runs it and returns
    /// <see langword="true"/>: return from <c>Program.cs</c> then (exit code 0; an exception makes the exit non-zero and stops the start or rollout);</item>
    /// <item>in a worker whose primary ran it already: skips it and returns <see langword="false"/>;</item>
    /// <item>in a plain single-process app, or a worker whose primary runs no init: runs it here, before serving, and returns <see langword="false"/>.</item>
    /// </list>
    /// Call it after <c>builder.Build()</c> and before <c>app.Run()</c>:
    /// <code>if (await app.RunClusterInitAsync((services, ct) => services.GetRequiredService&lt;AppDb&gt;().Database.MigrateAsync(ct))) return;</code>
    /// </summary>
    /// <param name="app">The built app.</param>
    /// <param name="init">The one-time work, given a service scope of the app and a cancellation token.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether this process was the init run and must now exit without serving.</returns>
    public static async Task<bool> RunClusterInitAsync(this IHost app, Func<IServiceProvider, CancellationToken, Task> init, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(init);
        var context = app.Services.GetRequiredService<ClusterWorkerContext>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ClusterTemplate.ServiceDefaults.Cluster.Init");
        if (context.IsUnderPrimary && context.InitByPrimary)
        {
            return false;
        }

        if (context.IsUnderPrimary)
        {
            Log.InitInEveryWorker(logger, context.WorkerId);
        }

        var scope = app.Services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await init(scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
        }

        if (context.IsInit)
        {
            Log.InitCompleted(logger, context.ProcessId);
        }

        return context.IsInit;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Cluster init (pid {ProcessId}) completed", EventName = "ClusterInitCompleted")]
        public static partial void InitCompleted(ILogger logger, int processId);

        [LoggerMessage(2, LogLevel.Warning, "Worker {WorkerId} runs the app's init itself, as every worker does: set Cluster:Init:When to start to have the primary run it once before the workers", EventName = "ClusterInitInEveryWorker")]
        public static partial void InitInEveryWorker(ILogger logger, int workerId);
    }
}
