namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>What a finished command did: its exit code and its interleaved stdout and stderr.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    /// <summary>Fails the test, showing the command and its output, unless the command exited with 0.</summary>
    public CommandResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"`{CommandLine}` exited with {ExitCode}:{Environment.NewLine}{Output}");
        return this;
    }
}
