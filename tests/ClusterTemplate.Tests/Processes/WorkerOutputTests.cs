using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Tests.Processes;

public sealed class WorkerOutputTests
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_client_gets_the_lines_after_the_last_it_read_then_the_new_ones()
    {
        var output = Quiet();
        output.Write(1, 100, "[worker 1 pid 100] ", "one", isError: false);
        output.Write(2, 200, "[worker 2 pid 200] ", "two", isError: true);

        using var stop = new CancellationTokenSource(s_budget);
        await using var lines = output.SubscribeAsync(after: 1, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await lines.MoveNextAsync());
        Assert.Equal(new WorkerOutputLine(2, 2, 200, "two", true), lines.Current);

        output.Write(1, 100, "[worker 1 pid 100] ", "three", isError: false);
        Assert.True(await lines.MoveNextAsync());
        Assert.Equal(new WorkerOutputLine(3, 1, 100, "three", false), lines.Current);
    }

    [Fact]
    public async Task A_client_of_an_earlier_primary_gets_every_line_kept()
    {
        var output = Quiet();
        output.Write(1, 100, "[worker 1 pid 100] ", "one", isError: false);

        using var stop = new CancellationTokenSource(s_budget);
        await using var lines = output.SubscribeAsync(after: 500, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await lines.MoveNextAsync());
        Assert.Equal("one", lines.Current.Text);
    }

    [Fact]
    public async Task Only_the_most_recent_lines_are_kept()
    {
        var output = Quiet();
        for (var i = 1; i <= WorkerOutput.RecentLines + 5; i++)
        {
            output.Write(1, 100, "[worker 1 pid 100] ", i.ToString(System.Globalization.CultureInfo.InvariantCulture), isError: false);
        }

        using var stop = new CancellationTokenSource(s_budget);
        await using var lines = output.SubscribeAsync(after: 0, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await lines.MoveNextAsync());
        Assert.Equal(6, lines.Current.Sequence);
    }

    private static WorkerOutput Quiet() => new(Options.Create(new ClusterOptions { EchoWorkerOutput = false }));
}
