using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>Tags every connection a listener accepts, so endpoints can tell which socket a request came in on.</summary>
public static class ConnectionMarking
{
    /// <summary>
    /// Sets <paramref name="marker"/> as a connection feature on every connection of this listener; requests
    /// see it through <c>HttpContext.Features.Get&lt;T&gt;()</c>.
    /// </summary>
    public static void MarkConnections<T>(this ListenOptions listen, T marker) where T : class =>
        listen.Use(next => connection =>
        {
            connection.Features.Set(marker);
            return next(connection);
        });
}
