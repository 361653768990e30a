using System.Diagnostics;

namespace ClusterTemplate.TestSupport;

/// <summary>Runs a started process to its exit, with its output, killing it (and what it started) if it outlives the budget.</summary>
internal static class ProcessRun
{
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> ToExitAsync(Process process, TimeSpan budget)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(budget);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
