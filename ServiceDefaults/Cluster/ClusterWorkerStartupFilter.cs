using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Puts the worker identity headers, the request counter and the drain's <c>Connection: close</c>
/// in front of the app's own pipeline, whatever order the app's <c>Program.cs</c> calls things in.
/// </summary>
internal sealed class ClusterWorkerStartupFilter(ClusterWorkerContext context, WorkerRequestCounter counter, PublicConnectionDrain connections) : IStartupFilter
{
    /// <summary>Names the worker that answered; present on every public response.</summary>
    public const string WorkerIdHeader = "X-Cluster-Worker-Id";

    /// <summary>Names the process that answered; present on every public response.</summary>
    public const string ProcessIdHeader = "X-Cluster-Worker-Pid";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var workerId = context.WorkerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var processId = context.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Use(async (httpContext, nextMiddleware) =>
        {
            httpContext.Response.Headers[WorkerIdHeader] = workerId;
            httpContext.Response.Headers[ProcessIdHeader] = processId;
            // HTTP/2 and HTTP/3 have no Connection header; Kestrel's stop ends them cleanly with GOAWAY.
            if (connections.IsDraining && (HttpProtocol.IsHttp11(httpContext.Request.Protocol) || HttpProtocol.IsHttp10(httpContext.Request.Protocol)))
            {
                httpContext.Response.Headers.Connection = "close";
            }

            try
            {
                await nextMiddleware(httpContext);
            }
            finally
            {
                counter.Increment();
            }
        });
        next(app);
    };
}
