using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// The management server's whole application: no middleware, no hosting diagnostics, no request logs, metrics or
/// spans. Probes are the cluster's plumbing; they must not show up as the app's traffic.
/// </summary>
internal sealed class ManagementApplication(IServiceProvider services, ManagementEndpoints endpoints) : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures) { RequestServices = services };

    public Task ProcessRequestAsync(HttpContext context) => endpoints.HandleAsync(context);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }
}
