using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>The sample's CPU-bound <c>/work?n=</c> endpoint, which users copy: bounded, and it stops when its client leaves.</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class SampleWorkEndpointTests(ITestOutputHelper output)
{
    private const string LargestWork = "/work?n=1000000000";

    [Fact]
    public async Task Work_is_summed_up_to_the_cap_and_refused_above_it()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport");
        await primary.WaitForRunningAsync(1);

        var benchmark = await PublicClient.GetAsync(primary.BaseAddress, "/work?n=5000000");
        Assert.Equal((HttpStatusCode.OK, "12499997500000"), (benchmark.Status, benchmark.Body));

        var tooMuch = await PublicClient.GetAsync(primary.BaseAddress, "/work?n=1000000001");
        Assert.Equal((HttpStatusCode.BadRequest, "n must be a whole number from 0 to 1000000000."), (tooMuch.Status, tooMuch.Body.Trim()));
    }

    [Fact]
    public async Task Abandoned_work_requests_stop_using_the_cpu()
    {
        const int Abandoned = 8;
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport");
        var worker = (await primary.WaitForRunningAsync(1)).Single();

        // What finishing the work would cost, measured on this machine now: a tenth of the largest request, run to its end.
        var beforeSample = CpuTime(worker.ProcessId);
        var sample = await PublicClient.GetAsync(primary.BaseAddress, "/work?n=100000000");
        Assert.Equal(HttpStatusCode.OK, sample.Status);
        var largestRequestCost = (CpuTime(worker.ProcessId) - beforeSample) * 10;

        var idle = CpuTime(worker.ProcessId);
        using var abandon = new CancellationTokenSource();
        var requests = Enumerable.Range(0, Abandoned).Select(_ => PublicClient.GetAsync(primary.BaseAddress, LargestWork, abandon.Token)).ToArray();
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            // Leave only once the loops are running.
            while (CpuTime(worker.ProcessId) - idle < TimeSpan.FromMilliseconds(200))
            {
                await Task.Delay(10, budget.Token);
            }
        }

        await abandon.CancelAsync();
        try
        {
            await Task.WhenAll(requests);
        }
        catch (OperationCanceledException)
        {
        }

        var atAbort = CpuTime(worker.ProcessId);
        var leftToDo = (largestRequestCost * Abandoned) - (atAbort - idle);

        // Quiet means under 25 ms of CPU in 250 ms: the probes, not a loop.
        var last = atAbort;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(250);
            var now = CpuTime(worker.ProcessId);
            if (now - last < TimeSpan.FromMilliseconds(25))
            {
                break;
            }

            last = now;
        }

        var burnt = CpuTime(worker.ProcessId) - atAbort;
        output.WriteLine(
            $"After the clients left, the worker used {burnt.TotalMilliseconds:0} ms of CPU over {clock.ElapsedMilliseconds} ms before it was quiet; " +
            $"finishing the abandoned work would have taken about {leftToDo.TotalMilliseconds:0} ms.");

        // Against the work that was left rather than a fixed number of milliseconds: the JIT, the GC and the probes
        // take a few hundred milliseconds on a busy machine, a loop that went on would take seconds.
        Assert.True(burnt < leftToDo / 4, $"the worker went on burning {burnt.TotalMilliseconds:0} ms of CPU for clients that had left, of {leftToDo.TotalMilliseconds:0} ms left to do");
    }

    private static TimeSpan CpuTime(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return process.TotalProcessorTime;
    }
}
