using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// A Kestrel server of its own on the worker's private management socket, beside the app's server rather than in it:
/// the app's middleware (authentication, rate limits, request logging), its routes and its telemetry never see a probe,
/// and no call in the app's <c>Program.cs</c> is needed for the primary to see the worker ready.
/// It starts before the app's server and stops after it, so a draining worker still answers "draining".
/// </summary>
internal sealed partial class ManagementServer(IServiceProvider services, ClusterWorkerContext context, ILoggerFactory loggers) : IHostedLifecycleService, IAsyncDisposable
{
    private static readonly TimeSpan s_stopBudget = TimeSpan.FromSeconds(1);

    private KestrelServer? _server;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (context.ManagementSocketPath is not { Length: > 0 } socketPath)
        {
            return;
        }

        var options = new KestrelServerOptions { ApplicationServices = services, AddServerHeader = false };
        options.ListenUnixSocket(socketPath, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.AcceptOwnUserOnly();
        });

        // A transport of its own: the app's is set up to bind the public port (SO_REUSEPORT, inherited sockets, the readiness gate).
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggers);
        _server = new KestrelServer(Options.Create(options), transport, loggers);
        await _server.StartAsync(new ManagementApplication(services, new ManagementEndpoints(services)), cancellationToken).ConfigureAwait(false);
        Log.Listening(loggers.CreateLogger<ManagementServer>(), socketPath);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(s_stopBudget);
            await _server.StopAsync(budget.Token).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Answering the primary's probes on {SocketPath}", EventName = "ManagementListening")]
        public static partial void Listening(ILogger logger, string socketPath);
    }
}
