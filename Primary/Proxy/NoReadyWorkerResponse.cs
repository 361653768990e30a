using Yarp.ReverseProxy.Model;

namespace ClusterTemplate.Primary.Proxy;

/// <summary>
/// The proxy's answer while no worker is ready (the cluster is starting, every worker is restarting, or
/// none can be started): 503 with <c>Retry-After</c>, so that clients and load balancers come back
/// rather than take the answer as final.
/// </summary>
internal static class NoReadyWorkerResponse
{
    public const string RetryAfterSeconds = "1";

    private static readonly byte[] s_body = "No worker is ready yet; retry shortly.\n"u8.ToArray();

    /// <summary>A step of the proxy pipeline: answers at once when no destination is available, else passes the request on.</summary>
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetReverseProxyFeature().AvailableDestinations.Count > 0)
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.Body.WriteAsync(s_body).AsTask();
    }
}
