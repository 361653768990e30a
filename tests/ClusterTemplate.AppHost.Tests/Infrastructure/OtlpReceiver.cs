using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>
/// An OTLP/HTTP (protobuf) endpoint on loopback that keeps the spans it receives, so a test can point the
/// cluster's exporters at it and look at what they sent. Metrics and logs are accepted and counted.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private int _metricsRequests;
    private int _logsRequests;

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<OtlpSpan> Spans => _spans;

    public int MetricsRequests => Volatile.Read(ref _metricsRequests);

    public int LogsRequests => Volatile.Read(ref _logsRequests);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);

        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            foreach (var span in OtlpTraceReader.Read(await ReadBodyAsync(request)))
            {
                receiver._spans.Enqueue(span);
            }

            return Ok();
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            await ReadBodyAsync(request);
            Interlocked.Increment(ref receiver._metricsRequests);
            return Ok();
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            await ReadBodyAsync(request);
            Interlocked.Increment(ref receiver._logsRequests);
            return Ok();
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Endpoint = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // An empty Export*ServiceResponse: full success.
    private static IResult Ok() => Results.Bytes([], "application/x-protobuf");

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
