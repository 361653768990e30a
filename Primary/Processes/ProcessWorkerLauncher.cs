using System.Diagnostics;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Processes;

/// <summary>Starts workers as child processes of the primary.</summary>
internal sealed class ProcessWorkerLauncher(IOptions<ClusterOptions> options, WorkerProgramLocator locator, WorkerOutput output, TimeProvider time) : IWorkerLauncher, IDisposable
{
    // Settings a development shell or Aspire gives the primary that would make a worker bind the wrong
    // address, and the primary's own socket tuning, which is unsafe for app code (ProxyRuntimeTuning).
    private static readonly string[] s_notInherited =
    [
        "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_LAUNCH_PROFILE",
        ProxyRuntimeTuning.InlineCompletionsVariable,

        // systemd's words to the primary: a worker that used them would tell systemd it is ready, or ping its watchdog.
        "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
    ];

    private const string ContentRootVariable = "ASPNETCORE_CONTENTROOT";

    private readonly WorkerProgram _program = locator.TryLocate(options.Value.WorkerPath, out var program, out _)
        ? program
        : throw new InvalidOperationException("The worker program was not found; options validation should have stopped the start.");

    private readonly string _workingDirectory = Path.GetFullPath(options.Value.WorkingDirectory is { Length: > 0 } folder ? folder : Environment.CurrentDirectory);

    private readonly WorkerStartThread _startThread = new();

    public IWorkerProcess Start(WorkerLaunchSpec spec)
    {
        var startInfo = new ProcessStartInfo(_program.FileName)
        {
            WorkingDirectory = _workingDirectory,
            UseShellExecute = false,

            // The primary holds the worker's stdin open for the worker's life: its end-of-file is how
            // a worker learns that its primary died, even by SIGKILL.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        foreach (var argument in _program.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in s_notInherited)
        {
            startInfo.Environment.Remove(name);
        }

        // The app finds its appsettings.json and wwwroot beside its program, wherever it runs (and not where
        // the primary's own content root is, should the primary have been given one); Cluster:Environment may override it.
        startInfo.Environment[ContentRootVariable] = _program.ContentRoot;

        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }

        return _startThread.Run(() => OsWorkerProcess.Start(startInfo, spec.WorkerId, output, time));
    }

    public void Dispose() => _startThread.Dispose();
}
