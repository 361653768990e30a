using ClusterTemplate.Primary.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Probes;

/// <summary>
/// Serves <c>/healthz</c> and <c>/readyz</c>, and nothing else, on <c>Cluster:HealthEndpoint</c> when it is set: a Kestrel
/// server of its own, with the primary's health checks. Its own, so that it is up before the cluster init and stays
/// up until the workers have drained: the primary's main server stops taking connections the moment the primary
/// starts stopping, and a load balancer must read a 503 from <c>/readyz</c> through the drain. Nothing of the
/// control API is mapped on it.
/// </summary>
/// <remarks>Registered before the supervisor, so the host starts it first and stops it last.</remarks>
internal sealed class HealthEndpointServer(IOptions<ClusterOptions> options, HealthCheckService checks, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private WebApplication? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (HealthEndpointAddress.Parse(options.Value.HealthEndpoint) is not { } address)
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            address.Listen(kestrel, _ => { });
        });
        builder.Services.AddRouting();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(checks);
        _server = builder.Build();
        _server.MapClusterProbes();
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
