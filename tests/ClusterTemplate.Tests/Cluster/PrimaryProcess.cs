using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.Versioning;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The real primary, started from its build output on a free port with its own runtime folder.
/// Disposing it stops the primary and makes sure no worker it started is left alive.
/// </summary>
internal sealed class PrimaryProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan s_stopBudget = TimeSpan.FromSeconds(40);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentDictionary<int, byte> _workerPids = new();
    private readonly ITestOutputHelper _log;
    private readonly HttpClient _control;

    private PrimaryProcess(Process process, int port, string runtimeDirectory, ITestOutputHelper log)
    {
        Process = process;
        Port = port;
        RuntimeDirectory = runtimeDirectory;
        _log = log;
        _control = UnixDomainSocketHttp.CreateClient(ControlSocket.PathIn(runtimeDirectory));
    }

    public Process Process { get; }

    public int Port { get; }

    public string RuntimeDirectory { get; }

    public IReadOnlyCollection<string> Output => _output;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts a primary with fast health settings and the test-only fault injection on.</summary>
    public static PrimaryProcess Start(ITestOutputHelper log, int workers, string mode, params string[] extraArgs) =>
        Start(log, new Dictionary<string, string?>(), workers, mode, extraArgs);

    /// <summary>Starts a primary as <see cref="Start(ITestOutputHelper, int, string, string[])"/> does, with these environment variables (<see langword="null"/> removes one).</summary>
    public static PrimaryProcess Start(ITestOutputHelper log, IReadOnlyDictionary<string, string?> environment, int workers, string mode, params string[] extraArgs) =>
        StartIn(Path.Combine(Path.GetTempPath(), "ct-" + Guid.NewGuid().ToString("N")[..12]), log, environment, workers, mode, extraArgs);

    /// <summary>Starts a primary like <see cref="Start(ITestOutputHelper, int, string, string[])"/>, with <paramref name="runtimeDirectory"/> as its runtime folder.</summary>
    public static PrimaryProcess StartIn(string runtimeDirectory, ITestOutputHelper log, int workers, string mode, params string[] extraArgs) =>
        StartIn(runtimeDirectory, log, new Dictionary<string, string?>(), workers, mode, extraArgs);

    /// <summary>
    /// Starts a primary like <see cref="Start(ITestOutputHelper, int, string, string[])"/> with no runtime folder configured,
    /// as a user starts one: it takes its default folder, in <paramref name="xdgRuntimeDirectory"/> as its <c>$XDG_RUNTIME_DIR</c>.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static PrimaryProcess StartInDefaultFolder(string xdgRuntimeDirectory, ITestOutputHelper log, int workers, string mode) =>
        Start(
            port => ControlSocket.DefaultRuntimeDirectory(port, xdgRuntimeDirectory, UnixUser.EffectiveId, Path.GetTempPath(), hasRunFolder: false),
            configureRuntimeDirectory: false, log, new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = xdgRuntimeDirectory }, workers, mode, []);

    private static PrimaryProcess StartIn(string runtimeDirectory, ITestOutputHelper log, IReadOnlyDictionary<string, string?> environment, int workers, string mode, string[] extraArgs) =>
        Start(_ => runtimeDirectory, configureRuntimeDirectory: true, log, environment, workers, mode, extraArgs);

    /// <summary>
    /// Starts the primary at <paramref name="primaryPath"/> (an installed copy) through <paramref name="launcher"/>, a command
    /// that execs the rest (<c>setpriv</c>: the pid stays the primary's), in <paramref name="workingDirectory"/>.
    /// <paramref name="runtimeDirectory"/> is passed as <c>--runtime-directory</c> unless <paramref name="defaultRuntimeDirectoryFor"/> gives the folder the primary picks itself.
    /// </summary>
    public static PrimaryProcess StartInstalled(string primaryPath, string[] launcher, string workingDirectory, Func<int, string>? defaultRuntimeDirectoryFor, string? runtimeDirectory, ITestOutputHelper log, IReadOnlyDictionary<string, string?> environment, int workers, string mode) =>
        Start(defaultRuntimeDirectoryFor ?? (_ => runtimeDirectory!), configureRuntimeDirectory: defaultRuntimeDirectoryFor is null, log, environment, workers, mode, [], primaryPath, launcher, workingDirectory);

    private static PrimaryProcess Start(Func<int, string> runtimeDirectoryFor, bool configureRuntimeDirectory, ITestOutputHelper log, IReadOnlyDictionary<string, string?> environment, int workers, string mode, string[] extraArgs) =>
        Start(runtimeDirectoryFor, configureRuntimeDirectory, log, environment, workers, mode, extraArgs, BuildOutputPath, [], workingDirectory: null);

    private static PrimaryProcess Start(Func<int, string> runtimeDirectoryFor, bool configureRuntimeDirectory, ITestOutputHelper log, IReadOnlyDictionary<string, string?> environment, int workers, string mode, string[] extraArgs, string primaryDll, string[] launcher, string? workingDirectory)
    {
        var port = FreePort.Next();
        var runtimeDirectory = runtimeDirectoryFor(port);
        string[] args =
        [
            "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--mode", mode,
            .. configureRuntimeDirectory ? ["--runtime-directory", runtimeDirectory] : Array.Empty<string>(),
            "--Cluster:Environment:CLUSTER_FAULT_INJECTION=true",
            "--Cluster:Health:Interval=00:00:00.500",
            "--Cluster:Health:Timeout=00:00:00.500",
            "--Cluster:Health:LivenessTimeout=00:00:01",
            "--Cluster:Health:StopGracePeriod=00:00:01",
            "--Cluster:DrainTimeout=00:00:10",
            .. extraArgs,
        ];
        var process = StartProcess(args, primaryDll, environment, launcher, workingDirectory);
        var primary = new PrimaryProcess(process, port, runtimeDirectory, log);
        process.OutputDataReceived += (_, e) => primary.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => primary.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return primary;
    }

    /// <summary>The primary's <c>.dll</c> in its build output.</summary>
    public static string BuildOutputPath => typeof(PrimaryProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ClusterPrimaryPath").Value!;

    /// <summary>Runs the primary to its exit, for settings it must refuse.</summary>
    public static Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(params string[] args) =>
        RunDllToExitAsync(BuildOutputPath, new Dictionary<string, string?>(), args);

    /// <summary>Runs the primary to its exit with these environment variables (<see langword="null"/> removes one): a command for a running primary.</summary>
    public static Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunDllToExitAsync(BuildOutputPath, environment, args);

    /// <summary>Runs a copy of the primary to its exit, beside the settings files the test wrote there.</summary>
    public static Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(PrimaryBuildCopy copy, params string[] args) =>
        RunDllToExitAsync(copy.PrimaryPath, new Dictionary<string, string?>(), args);

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunDllToExitAsync(string primaryDll, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        using var process = StartProcess(args, primaryDll, environment);
        return await ProcessRun.ToExitAsync(process, StartBudget);
    }


    public async Task<ClusterStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var status = await _control.GetFromJsonAsync<ClusterStatus>(ControlRoutes.Status, ControlJson.Options, cancellationToken)
            ?? throw new InvalidOperationException("Empty status.");
        foreach (var worker in status.Workers.Where(w => w.ProcessId > 0))
        {
            _workerPids.TryAdd(worker.ProcessId, 0);
        }

        return status;
    }

    public async Task<ClusterOperationResult> PostAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _control.PostAsync(path, content: null, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ClusterOperationResult>(ControlJson.Options, cancellationToken)
            ?? throw new InvalidOperationException("Empty result.");
    }

    /// <summary>A control request whose HTTP status matters too: a failed operation must be a 409 with its result, never a 500.</summary>
    public async Task<(HttpStatusCode Status, ClusterOperationResult? Result)> PostWithStatusAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _control.PostAsync(path, content: null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, body.Length == 0 ? null : System.Text.Json.JsonSerializer.Deserialize<ClusterOperationResult>(body, ControlJson.Options));
    }

    /// <summary>Reads the control socket's worker output after line <paramref name="after"/> until <paramref name="enough"/> holds for what was read.</summary>
    public async Task<IReadOnlyList<WorkerOutputLine>> ReadWorkerOutputAsync(long after, Func<IReadOnlyList<WorkerOutputLine>, bool> enough, CancellationToken cancellationToken)
    {
        var lines = new List<WorkerOutputLine>();
        using var response = await _control.GetAsync(ControlRoutes.OutputAfter(after), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (!enough(lines) && await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(System.Text.Json.JsonSerializer.Deserialize<WorkerOutputLine>(line, ControlJson.Options)!);
        }

        return lines;
    }

    /// <summary>Polls the worker table until <paramref name="condition"/> holds.</summary>
    public async Task<IReadOnlyList<WorkerSnapshot>> WaitForWorkersAsync(Func<IReadOnlyList<WorkerSnapshot>, bool> condition, TimeSpan? budget = null)
    {
        using var timeout = new CancellationTokenSource(budget ?? StartBudget);
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The primary exited with code {Process.ExitCode}:\n{string.Join('\n', _output)}");
            }

            try
            {
                var status = await GetStatusAsync(timeout.Token);
                if (condition(status.Workers))
                {
                    return status.Workers;
                }

                await Task.Delay(50, timeout.Token);
            }
            catch (HttpRequestException)
            {
                // The control socket is not there yet: wait before asking again, do not spin.
                await Task.Delay(50, CancellationToken.None);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("The worker table never reached the expected state:\n" + string.Join('\n', _output.TakeLast(40)));
            }
        }
    }

    public Task<IReadOnlyList<WorkerSnapshot>> WaitForRunningAsync(int count) =>
        WaitForWorkersAsync(workers => workers.Count == count && workers.All(w => w is { State: WorkerState.Running, Ready: true }));

    public async Task WaitForOutputAsync(string text, TimeSpan budget)
    {
        using var timeout = new CancellationTokenSource(budget);
        while (!_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"No output line with '{text}' within {budget}:\n" + string.Join('\n', _output.TakeLast(40)));
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public void Signal(int signal) => Assert.True(UnixSignals.Send(Process.Id, signal), $"Could not send signal {signal} to the primary.");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                UnixSignals.Send(Process.Id, UnixSignals.SigTerm);
                using var budget = new CancellationTokenSource(s_stopBudget);
                await Process.WaitForExitAsync(budget.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!Process.HasExited)
                {
                    Process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            foreach (var pid in _workerPids.Keys.Where(IsAlive))
            {
                _log.WriteLine($"Killing worker pid {pid} that outlived its primary.");
                UnixSignals.Send(pid, 9);
            }

            _control.Dispose();
            Process.Dispose();
            if (Directory.Exists(RuntimeDirectory))
            {
                Directory.Delete(RuntimeDirectory, recursive: true);
            }
        }
    }

    public static bool IsAlive(int pid)
    {
        // A zombie still has a /proc entry: look at its state, not only whether it exists.
        var status = $"/proc/{pid}/status";
        try
        {
            return File.ReadLines(status).FirstOrDefault(line => line.StartsWith("State:", StringComparison.Ordinal)) is { } state && !state.Contains('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Process StartProcess(IEnumerable<string> args, string primaryDll, IReadOnlyDictionary<string, string?> environment) =>
        StartProcess(args, primaryDll, environment, [], workingDirectory: null);

    private static Process StartProcess(IEnumerable<string> args, string primaryDll, IReadOnlyDictionary<string, string?> environment, string[] launcher, string? workingDirectory)
    {
        var appHost = Path.ChangeExtension(primaryDll, null);
        string[] command = File.Exists(appHost) ? [appHost] : [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", primaryDll];
        command = [.. launcher, .. command];
        var startInfo = new ProcessStartInfo(command[0]);
        foreach (var part in command.Skip(1))
        {
            startInfo.ArgumentList.Add(part);
        }

        if (workingDirectory is not null)
        {
            startInfo.WorkingDirectory = workingDirectory;
        }

        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (TestWorker.Override is { } worker)
        {
            // Below the command line and the test's own environment: a test that picks its worker keeps it.
            startInfo.Environment["Cluster__WorkerPath"] = worker;
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return Process.Start(startInfo) ?? throw new InvalidOperationException("The primary did not start.");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        try
        {
            _log.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished; its output helper is closed.
        }
    }
}
