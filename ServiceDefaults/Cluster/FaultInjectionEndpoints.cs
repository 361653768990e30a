using System;
using System.Collections.Generic;
using System.Net.WebSockets;
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
    private static readonly TimeSpan s_hangAfterAnswer = TimeSpan.FromMilliseconds(300);

    public static IEndpointRouteBuilder MapFaultInjection(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/fault");

        // Starves the thread pool the way a blocking bug does: every pool thread, and every thread the
        // pool adds later, ends up parked, so no request (the liveness probe included) is ever served again.
        group.MapPost("/hang", static (HttpContext context) =>
        {
            // After the answer is sent, or the starved pool would never send it. Completed is not sent over HTTP/2 (the
            // proxy mode's hop), whose frames a writer loop on the pool sends later: the pool is let run a little first.
            context.Response.OnCompleted(static () =>
            {
                _ = Task.Delay(s_hangAfterAnswer).ContinueWith(
                    static _ =>
                    {
                        for (var i = 0; i < 4096; i++)
                        {
                            ThreadPool.UnsafeQueueUserWorkItem(static _ => Thread.Sleep(Timeout.Infinite), null);
                        }
                    },
                    TaskScheduler.Default);
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

        // What reached the worker, one "name: value" line per request header and then the protocol: what a proxy in front added.
        group.MapGet("/request", static (HttpContext context) =>
        {
            var lines = new List<string>();
            foreach (var header in context.Request.Headers)
            {
                lines.Add($"{header.Key}: {header.Value}");
            }

            lines.Add("protocol: " + context.Request.Protocol);
            return Results.Text(string.Join('\n', lines));
        });

        // A WebSocket that answers one message with the same and closes: what a proxy in front must carry through.
        group.Map("/echo-socket", static async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
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
