using ClusterTemplate.ServiceDefaults.Cluster;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();

app.MapGet("/", (ClusterWorkerContext worker) =>
    $"Hello from worker {worker.WorkerId} (pid {worker.ProcessId})");

// CPU-bound work, capped, in slices of about a millisecond: between two slices the server gets a thread
// to notice a client that left (RequestAborted), so an abandoned request stops instead of holding a core.
const long MaxWork = 1_000_000_000;
const long Slice = 1 << 20;
app.MapGet("/work", async (CancellationToken requestAborted, long n = 100_000_000) =>
{
    if (n is < 0 or > MaxWork)
    {
        return Results.Text($"n must be a whole number from 0 to {MaxWork}.", statusCode: StatusCodes.Status400BadRequest);
    }

    long sum = 0;
    for (long start = 0; start < n; start += Slice)
    {
        if (start > 0)
        {
            await Task.Yield();
            if (requestAborted.IsCancellationRequested)
            {
                return Results.Empty;
            }
        }

        sum += Sum(start, Math.Min(n, start + Slice));
    }

    return Results.Text(sum.ToString());
});

app.MapDefaultEndpoints();

app.Run();

static long Sum(long from, long to)
{
    long sum = 0;
    for (var i = from; i < to; i++)
    {
        sum += i;
    }

    return sum;
}
