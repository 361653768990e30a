using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// A generated primary started from its build output, read through its control socket, and stopped
/// with SIGTERM; on dispose nothing it started is left running.
/// </summary>
internal sealed class ClusterRun : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Process _primary;
    private readonly HttpClient _control;
    private readonly HashSet<int> _workerProcessIds = [];
    private readonly StringBuilder _log = new();

    private ClusterRun(Process primary, string controlSocket)
    {
        _primary = primary;
        _primary.OutputDataReceived += (_, e) => Append(e.Data);
        _primary.ErrorDataReceived += (_, e) => Append(e.Data);
        _primary.BeginOutputReadLine();
        _primary.BeginErrorReadLine();
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(controlSocket), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _control = new HttpClient(handler) { BaseAddress = new Uri("http://primary"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Starts the primary in its output folder (its content root) with its runtime folder under <paramref name="runtimeDirectory"/>.</summary>
    public static ClusterRun Start(GeneratedSolution solution, string runtimeDirectory) =>
        Start(solution.PrimaryAssembly, solution.PrimaryOutputFolder, runtimeDirectory, []);

    /// <summary>
    /// Starts <c>dotnet <paramref name="primaryAssembly"/> <paramref name="arguments"/></c> in <paramref name="workingDirectory"/>
    /// (which its workers inherit) with its runtime folder under <paramref name="runtimeDirectory"/>.
    /// </summary>
    public static ClusterRun Start(string primaryAssembly, string workingDirectory, string runtimeDirectory, IReadOnlyList<string> arguments)
    {
        var startInfo = DotnetCli.CreateStartInfo([primaryAssembly, .. arguments], workingDirectory);
        startInfo.Environment["Cluster__RuntimeDirectory"] = runtimeDirectory;
        var primary = Process.Start(startInfo) ?? throw new InvalidOperationException("The primary did not start.");
        return new ClusterRun(primary, Path.Combine(runtimeDirectory, "control.sock"));
    }

    /// <summary>Polls the control socket until <paramref name="workers"/> workers are running and healthy.</summary>
    public Task<ClusterStatusReport> WaitForHealthyWorkersAsync(int workers, TimeSpan timeout) =>
        WaitForAsync(status => status.Workers.Count == workers && status.Workers.All(worker => worker.State == "Running" && worker.Healthy), $"{workers} healthy workers", timeout);

    /// <summary>Polls the control socket until <paramref name="workers"/> workers are running, healthy and ready (taking traffic).</summary>
    public Task<ClusterStatusReport> WaitForReadyWorkersAsync(int workers, TimeSpan timeout) =>
        WaitForAsync(status => status.Workers.Count == workers && status.Workers.All(worker => worker.State == "Running" && worker.Healthy && worker.Ready), $"{workers} ready workers", timeout);

    private async Task<ClusterStatusReport> WaitForAsync(Func<ClusterStatusReport, bool> condition, string what, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        ClusterStatusReport? last = null;
        while (true)
        {
            Assert.False(_primary.HasExited, $"The primary exited with {(_primary.HasExited ? _primary.ExitCode : 0)} before its workers were ready:{Environment.NewLine}{Log}");
            last = await TryReadStatusAsync(deadline.Token) ?? last;
            if (last is not null)
            {
                _workerProcessIds.UnionWith(last.Workers.Select(worker => worker.ProcessId).Where(pid => pid > 0));
                if (condition(last))
                {
                    return last;
                }
            }

            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {what} within {timeout}; last status: {JsonSerializer.Serialize(last, Json)}{Environment.NewLine}{Log}");
            }
        }
    }

    /// <summary>Sends SIGTERM and waits for the primary and every worker it reported to exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        Assert.Equal(0, Kill(_primary.Id, SigTerm));
        await _primary.WaitForExitAsync(deadline.Token);
        Assert.True(_primary.ExitCode == 0, $"The primary exited with code {_primary.ExitCode} on SIGTERM:{Environment.NewLine}{Log}");
        while (_workerProcessIds.Any(IsRunning))
        {
            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Workers still running {timeout} after SIGTERM to the primary: {string.Join(", ", _workerProcessIds.Where(IsRunning))}");
            }
        }
    }

    /// <summary>What the primary wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        if (!_primary.HasExited)
        {
            _primary.Kill(entireProcessTree: true);
            await _primary.WaitForExitAsync();
        }

        foreach (var pid in _workerProcessIds.Where(IsRunning))
        {
            using var worker = Process.GetProcessById(pid);
            worker.Kill(entireProcessTree: true);
        }

        _primary.Dispose();
    }

    private async Task<ClusterStatusReport?> TryReadStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _control.GetFromJsonAsync<ClusterStatusReport>("/control/status", Json, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The control socket is not there yet.
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    // From /proc, not Process.HasExited: the workers are not this process's children, and an unreaped
    // zombie would count as running. The state is the field after the parenthesised command name.
    private static bool IsRunning(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
