using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Tests.Processes;

[Trait("Category", "Unit")]
public sealed class WorkerStartThreadTests
{
    [Fact]
    public async Task Runs_every_start_on_one_thread_of_its_own_whoever_asks()
    {
        using var startThread = new WorkerStartThread();

        var threads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            startThread.Run(() => (Thread.CurrentThread.ManagedThreadId, Thread.CurrentThread.IsThreadPoolThread)))));

        Assert.Single(threads.Distinct());
        Assert.False(threads[0].IsThreadPoolThread);
    }

    [Fact]
    public void Passes_a_failed_start_on_to_the_caller()
    {
        using var startThread = new WorkerStartThread();

        var failure = Assert.Throws<InvalidOperationException>(() => startThread.Run<int>(() => throw new InvalidOperationException("no such program")));

        Assert.Equal("no such program", failure.Message);
        Assert.Equal(42, startThread.Run(() => 42));
    }
}
