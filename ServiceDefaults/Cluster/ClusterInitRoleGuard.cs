using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Stops an init run that goes on to start its host: an app that does not call <c>RunClusterInitAsync</c> would
/// otherwise serve on a default port, unsupervised, until the primary's init timeout. Hosted services start before
/// the server, so nothing is bound by then.
/// </summary>
internal sealed class ClusterInitRoleGuard : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(
        $"This process is the cluster's init run ({ClusterEnvironment.Role}={ClusterEnvironment.InitRole}), but the app started its host: "
        + "call 'if (await app.RunClusterInitAsync(...)) return;' before app.Run() in Program.cs, or set Cluster:Init:When to never.");

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
