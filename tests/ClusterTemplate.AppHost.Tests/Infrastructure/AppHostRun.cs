using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>
/// The AppHost as a developer runs it: <c>dotnet run --project AppHost --no-build</c>, with the launch profile's settings,
/// and the dashboard, which <see cref="DistributedApplicationTestingBuilder"/> leaves off. Disposing it stops the AppHost
/// (SIGTERM) and waits for every process it started (DCP, the dashboard, the cluster) to be gone, killing what is left.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class AppHostRun : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly Process _dotnetRun;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Dictionary<int, OwnedProcesses.Entry> _owned = [];

    private AppHostRun(Process dotnetRun) => _dotnetRun = dotnetRun;

    /// <summary>Every line the AppHost wrote so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>Starts the AppHost with its default launch profile (the first), and <paramref name="args"/> after <c>--</c>.</summary>
    public static AppHostRun Start(params string[] args)
    {
        var configuration = typeof(AppHostRun).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { "run", "--project", Projects.ClusterTemplate_AppHost.ProjectPath, "--no-build", "-c", configuration, "--" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // The launch profile decides these; a value inherited from the test run must not.
        startInfo.Environment.Remove("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS");
        startInfo.Environment.Remove("DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS");

        var run = new AppHostRun(Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet run did not start."));
        run._dotnetRun.OutputDataReceived += (_, e) => run.OnLine(e.Data);
        run._dotnetRun.ErrorDataReceived += (_, e) => run.OnLine(e.Data);
        run._dotnetRun.BeginOutputReadLine();
        run._dotnetRun.BeginErrorReadLine();
        return run;
    }

    /// <summary>Waits for the first output line that <paramref name="matches"/>; fails with the output when the AppHost exits or the budget runs out first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_output.FirstOrDefault(matches) is { } line)
            {
                return line;
            }

            if (_dotnetRun.HasExited || clock.Elapsed > budget)
            {
                throw new TimeoutException($"No such line from the AppHost ({(_dotnetRun.HasExited ? "it exited" : $"within {budget}")}):\n" + string.Join('\n', _output.TakeLast(40)));
            }

            await Task.Delay(TestBudgets.PollInterval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Remember();
        var program = Path.GetFileNameWithoutExtension(Projects.ClusterTemplate_AppHost.ProjectPath);
        var appHosts = _owned.Values.Where(entry => entry.CommandLine.Contains(program, StringComparison.Ordinal) && !entry.CommandLine.Contains(" run ", StringComparison.Ordinal));
        foreach (var appHost in appHosts.Where(OwnedProcesses.IsAlive))
        {
            _ = kill(appHost.ProcessId, SigTerm);
        }

        var clock = Stopwatch.StartNew();
        while (_owned.Values.Any(OwnedProcesses.IsAlive) && clock.Elapsed < TestBudgets.Cleanup)
        {
            await Task.Delay(TestBudgets.PollInterval);
        }

        foreach (var straggler in _owned.Values.Where(OwnedProcesses.IsAlive))
        {
            _ = kill(straggler.ProcessId, SigKill);
        }

        if (!_dotnetRun.HasExited)
        {
            _dotnetRun.Kill(entireProcessTree: true);
        }

        _dotnetRun.Dispose();
    }

    /// <summary>Notes the processes this run started: the AppHost under <c>dotnet run</c>, and DCP, which detaches itself but names the AppHost it watches.</summary>
    private void Remember()
    {
        if (_dotnetRun.HasExited)
        {
            return;
        }

        foreach (var entry in OwnedProcesses.Snapshot(_dotnetRun.Id).ToList())
        {
            _owned.TryAdd(entry.ProcessId, entry);
            foreach (var started in OwnedProcesses.Snapshot(entry.ProcessId))
            {
                _owned.TryAdd(started.ProcessId, started);
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

#pragma warning disable SYSLIB1054 // A single blittable call; DllImport keeps AllowUnsafeBlocks off.
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
