using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Test-only endpoints that make a worker misbehave on purpose. Mapped only when
/// <see cref="ClusterEnvironment.FaultInjection"/> is <c>true</c>; never in a normal run.
/// </summary>
internal static class FaultInjectionEndpoints
{
    private static readonly List<byte[]> s_retained = [];

    public static IEndpointRouteBuilder MapFaultInjection(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/fault");

        // Starves the thread pool the way a blocking bug does: every pool thread, and every thread the
        // pool adds later, ends up parked, so no request (the liveness probe included) is ever served again.
        group.MapPost("/hang", static (HttpContext context) =>
        {
            // After the answer is sent, or the starved pool would never send it.
            context.Response.OnCompleted(static () =>
            {
                for (var i = 0; i < 4096; i++)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static _ => Thread.Sleep(Timeout.Infinite), null);
                }

                return Task.CompletedTask;
            });
            return Results.Accepted();
        });

        group.MapGet("/slow", static async (int? ms, ILoggerFactory loggers) =>
        {
            loggers.CreateLogger("ClusterTemplate.FaultInjection").LogWarning("Slow request started: {Milliseconds} ms", ms ?? 3000);

            // Deliberately ignores request abort: a slow request is the thing a drain must let finish.
            await Task.Delay(ms ?? 3000, CancellationToken.None);
            return Results.Text($"slept {ms ?? 3000} ms");
        });

        group.MapPost("/allocate", static (int? mb) =>
        {
            var size = (mb ?? 64) * 1024 * 1024;
            var block = GC.AllocateUninitializedArray<byte>(size, pinned: false);
            Array.Fill(block, (byte)1);
            lock (s_retained)
            {
                s_retained.Add(block);
            }

            return Results.Text($"holding {s_retained.Count} blocks");
        });

        // An unhandled exception in a request: what a developer exception page would show to anyone.
        group.MapGet("/throw", static string () => throw new InvalidOperationException("fault injection: an unhandled exception"));

        group.MapPost("/exit", static (int? code) =>
        {
            Environment.Exit(code ?? 3);
            return Results.Ok();
        });

        return endpoints;
    }
}
