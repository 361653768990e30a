using System.Globalization;
using ClusterTemplate.Hosting.Control;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>
/// The AppHost under test on its own public port: started through Aspire.Hosting.Testing, with helpers to
/// read worker rows and reach the cluster, and a dispose that checks nothing it started is left running.
/// </summary>
internal sealed class ClusterAppHost : IAsyncDisposable
{
    public const string PrimaryName = "cluster";

    private ClusterAppHost(DistributedApplication app, int port, CapturedLogs logs)
    {
        App = app;
        Port = port;
        Logs = logs;
    }

    public DistributedApplication App { get; }

    /// <summary>What the AppHost logged at warning level or above.</summary>
    public CapturedLogs Logs { get; }

    public int Port { get; }

    public static string WorkerRow(int workerId) => ClusterWorkerResource.NameFor(PrimaryName, workerId);

    /// <summary>Starts the AppHost with <paramref name="workers"/> workers on a free port and waits until every worker row is running and healthy.</summary>
    /// <param name="workers">The number of workers.</param>
    /// <param name="configurePrimary">Changes to the primary's resource.</param>
    /// <param name="configureApp">Resources added next to the cluster.</param>
    /// <param name="startup">How long the start may take; <see cref="TestBudgets.Startup"/> by default.</param>
    public static async Task<ClusterAppHost> StartAsync(
        int workers,
        Action<IResourceBuilder<ClusterResource>>? configurePrimary = null,
        Action<IDistributedApplicationTestingBuilder, IResourceBuilder<ClusterResource>>? configureApp = null,
        TimeSpan? startup = null)
    {
        using var budget = new CancellationTokenSource(startup ?? TestBudgets.Startup);
        var port = FreePort.Next();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ClusterTemplate_AppHost>(
            [
                "--Cluster:Workers=" + workers.ToString(CultureInfo.InvariantCulture),
                "--Cluster:Port=" + port.ToString(CultureInfo.InvariantCulture),
            ],
            budget.Token);
        var logs = new CapturedLogs();
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(logs));

        var primary = builder.CreateResourceBuilder<ClusterResource>(PrimaryName)
            // Tests stop clusters often: a short drain keeps each stop quick.
            .WithEnvironment("Cluster__DrainTimeout", "00:00:03");
        configurePrimary?.Invoke(primary);
        configureApp?.Invoke(builder, primary);

        var app = await builder.BuildAsync(budget.Token);
        var host = new ClusterAppHost(app, port, logs);
        try
        {
            await app.StartAsync(budget.Token);
            for (var id = 1; id <= workers; id++)
            {
                await host.WaitForRowAsync(id, IsServing, budget.Token);
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>A row that runs, passes its probe, and has a process.</summary>
    public static bool IsServing(CustomResourceSnapshot row) =>
        row.State?.Text == KnownResourceStates.Running && row.HealthStatus == HealthStatus.Healthy && Pid(row) > 0 && !row.IsHidden;

    public static T? Property<T>(CustomResourceSnapshot row, string name) =>
        row.Properties.FirstOrDefault(p => p.Name == name)?.Value is T value ? value : default;

    public static int Pid(CustomResourceSnapshot row) => Property<int>(row, ClusterWorkerProperties.ProcessId);

    public CustomResourceSnapshot Row(int workerId) =>
        App.ResourceNotifications.TryGetCurrentState(WorkerRow(workerId), out var row)
            ? row.Snapshot
            : throw new InvalidOperationException($"No row {WorkerRow(workerId)}.");

    /// <summary>The worker table as the primary's control socket gives it now.</summary>
    public async Task<ClusterStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var primary = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ClusterResource>().Single();
        using var client = new ClusterControlClient(primary.Settings.ControlSocketPath);
        return await client.GetStatusAsync(cancellationToken);
    }

    /// <summary>Waits until the cluster's own row satisfies <paramref name="predicate"/>.</summary>
    public async Task<ResourceEvent> WaitForPrimaryRowAsync(Func<CustomResourceSnapshot, bool> predicate, CancellationToken cancellationToken) =>
        await App.ResourceNotifications.WaitForResourceAsync(PrimaryName, e => predicate(e.Snapshot), cancellationToken);

    public async Task<CustomResourceSnapshot> WaitForRowAsync(int workerId, Func<CustomResourceSnapshot, bool> predicate, CancellationToken cancellationToken)
    {
        var found = await App.ResourceNotifications.WaitForResourceAsync(WorkerRow(workerId), e => predicate(e.Snapshot), cancellationToken);
        return found.Snapshot;
    }

    /// <summary>Sends requests, each on a new connection, until <paramref name="count"/> distinct worker pids answered; returns them.</summary>
    public async Task<HashSet<int>> DistinctPidsAsync(int count, CancellationToken cancellationToken)
    {
        var pids = new HashSet<int>();
        using var http = NewClient();
        for (var attempt = 0; attempt < 400 && pids.Count < count; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await TryGetPidAsync(http, cancellationToken) is { } pid)
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    public static HttpClient NewClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = TestBudgets.Request,
    };

    public Uri Url(string path) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}{path}"));

    private async Task<int?> TryGetPidAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/"));
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode
                && response.Headers.TryGetValues("X-Cluster-Worker-Pid", out var values)
                && int.TryParse(values.First(), CultureInfo.InvariantCulture, out var pid)
                ? pid
                : null;
        }
        catch (HttpRequestException)
        {
            // A worker between exit and replacement can reset a connection; the next one goes elsewhere.
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var owned = OwnedProcesses.Snapshot(Environment.ProcessId);
        try
        {
            await App.StopAsync().WaitAsync(TestBudgets.Cleanup);
        }
        finally
        {
            await App.DisposeAsync();
        }

        var deadline = DateTime.UtcNow + TestBudgets.Cleanup;
        var alive = owned.Where(OwnedProcesses.IsAlive).ToList();
        while (alive.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TestBudgets.PollInterval);
            alive = alive.Where(OwnedProcesses.IsAlive).ToList();
        }

        if (alive.Count > 0)
        {
            foreach (var entry in alive)
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(entry.ProcessId).Kill();
                }
                catch (ArgumentException)
                {
                }
            }

            throw new InvalidOperationException(
                $"{alive.Count} processes of the AppHost outlived it by {TestBudgets.Cleanup.TotalSeconds} s (killed now): "
                + string.Join("; ", alive.Select(e => $"{e.ProcessId} {e.CommandLine}")));
        }
    }
}
