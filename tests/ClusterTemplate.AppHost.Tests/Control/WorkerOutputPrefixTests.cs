using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.AppHost.Tests.Control;

public sealed class WorkerOutputPrefixTests
{
    [Theory]
    [InlineData(1, 4242, "info: Microsoft.Hosting.Lifetime[14] Now listening on: http://[::]:8080")]
    [InlineData(256, 1, "")]
    [InlineData(12, 99999, "a line that itself says [worker 3 pid 7] ")]
    public void A_formatted_line_parses_back_to_its_worker_and_text(int workerId, int processId, string text)
    {
        var line = WorkerOutputPrefix.Format(workerId, processId) + text;

        Assert.True(WorkerOutputPrefix.TryParse(line, out var parsedId, out var parsedText));
        Assert.Equal(workerId, parsedId);
        Assert.Equal(text, parsedText);
    }

    [Fact]
    public void The_prefix_is_the_documented_one()
    {
        Assert.Equal("[worker 3 pid 1234] ", WorkerOutputPrefix.Format(3, 1234));
    }

    [Fact]
    public void The_prefix_is_found_after_what_a_log_collector_put_before_it()
    {
        Assert.True(WorkerOutputPrefix.TryParse("2026-01-01T00:00:00.0000000Z [worker [worker 2 pid 77] hello", out var workerId, out var text));
        Assert.Equal(2, workerId);
        Assert.Equal("hello", text);
    }

    [Theory]
    [InlineData("info: the primary's own line")]
    [InlineData("[worker 2 pid 77]no space")]
    [InlineData("[worker two pid 77] text")]
    [InlineData("[worker 2 pid ] text")]
    [InlineData("[worker 99999999999 pid 1] text")]
    public void A_line_without_the_prefix_is_not_a_worker_line(string line)
    {
        Assert.False(WorkerOutputPrefix.TryParse(line, out _, out var text));
        Assert.Null(text);
    }
}
