using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Tests.Processes;

[Trait("Category", "Unit")]
public class WorkerExitTests
{
    [Theory]
    [InlineData(0, "exit code 0")]
    [InlineData(3, "exit code 3")]
    [InlineData(137, "signal 9 (SIGKILL)")]
    [InlineData(143, "signal 15 (SIGTERM)")]
    public void Describes_exit_codes_and_signals(int exitCode, string expected)
    {
        Assert.Equal(expected, new WorkerExit(exitCode).ToString());
    }
}
