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

    [Fact]
    public void Describes_a_start_failure_with_the_error_and_no_signal()
    {
        var exit = WorkerExit.NotStarted("An error occurred trying to start process '/app/worker'. Permission denied");

        Assert.Equal("could not be started: An error occurred trying to start process '/app/worker'. Permission denied", exit.ToString());
        Assert.Equal((WorkerExit.NotStartedExitCode, null), (exit.ExitCode, exit.Signal));
    }
}
