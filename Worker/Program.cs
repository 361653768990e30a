using ClusterTemplate.ServiceDefaults.Cluster;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();

app.MapGet("/", (ClusterWorkerContext worker) =>
    $"Hello from worker {worker.WorkerId} (pid {worker.ProcessId})");

app.MapGet("/work", (long n = 100_000_000) =>
{
    long sum = 0;
    for (long i = 0; i < n; i++)
    {
        sum += i;
    }

    return sum.ToString();
});

app.MapDefaultEndpoints();

app.Run();
