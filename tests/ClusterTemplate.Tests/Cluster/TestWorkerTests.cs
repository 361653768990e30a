using ClusterTemplate.Primary.Processes;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>The process tests run the worker they name: the Worker's build output, or the program <c>CLUSTER_TEST_WORKER</c> names (CI's Native AOT worker).</summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class TestWorkerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Workers_run_the_program_the_tests_name()
    {
        Assert.True(new WorkerProgramLocator().TryLocate(TestWorker.Override, out var program, out var searched), "no worker in " + searched);
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport");

        var worker = Assert.Single(await primary.WaitForRunningAsync(1));

        Assert.Equal(Path.GetFullPath(program.FileName), ResolvedExecutable(worker.ProcessId));
    }

    private static string ResolvedExecutable(int processId) =>
        new FileInfo($"/proc/{processId}/exe").LinkTarget ?? throw new InvalidOperationException($"no executable for pid {processId}");
}
