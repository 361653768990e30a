using System.Diagnostics;
using System.Text;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// Runs the <c>dotnet</c> CLI as a child process within a time budget. On timeout the whole process
/// tree is killed. No build servers or MSBuild nodes are left behind.
/// </summary>
internal static class DotnetCli
{
    /// <summary>The <c>dotnet</c> host running these tests, else the one on the PATH.</summary>
    public static string HostPath =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";

    public static async Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var startInfo = CreateStartInfo(arguments, workingDirectory);
        var commandLine = "dotnet " + string.Join(' ', arguments);
        var output = new StringBuilder();

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout}; killed it.{Environment.NewLine}{Snapshot(output)}");
        }

        // The parameterless wait also drains the redirected output.
        await process.WaitForExitAsync();
        return new CommandResult(commandLine, process.ExitCode, Snapshot(output));
    }

    /// <summary>A start info for <c>dotnet</c> with a clean, quiet, server-less environment.</summary>
    public static ProcessStartInfo CreateStartInfo(IReadOnlyList<string> arguments, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(HostPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Under `dotnet test` the test host inherits MSBuild's variables; a child build must resolve its own SDK.
        var inherited = startInfo.Environment.Keys.Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var key in inherited)
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // Nothing may outlive the test: no MSBuild node reuse, no MSBuild server, no compiler server.
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["UseSharedCompilation"] = "false";
        return startInfo;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
