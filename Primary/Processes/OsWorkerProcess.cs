using System.Diagnostics;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Processes;

/// <summary>A worker running as an operating-system child process, its output passed through with a prefix.</summary>
internal sealed class OsWorkerProcess : IWorkerProcess
{
    private const int RecentOutputLines = 20;

    private readonly Process _process;
    private readonly string _prefix;
    private readonly Queue<string> _recentOutput = new();
    private readonly TaskCompletionSource<WorkerExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OsWorkerProcess(Process process, int workerId)
    {
        _process = process;
        ProcessId = process.Id;
        _prefix = WorkerOutputPrefix.Format(workerId, ProcessId);
    }

    public int ProcessId { get; }

    public Task<WorkerExit> Exited => _exited.Task;

    public IReadOnlyList<string> RecentOutput
    {
        get
        {
            lock (_recentOutput)
            {
                return [.. _recentOutput];
            }
        }
    }

    public static OsWorkerProcess Start(ProcessStartInfo startInfo, int workerId)
    {
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.Start();

        var worker = new OsWorkerProcess(process, workerId);
        process.OutputDataReceived += (_, e) => worker.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnOutput(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = worker.WaitForExitAsync();
        return worker;
    }

    public void RequestStop()
    {
        if (OperatingSystem.IsWindows())
        {
            // No SIGTERM on Windows: closing stdin makes the worker's watchdog stop it gracefully.
            _process.StandardInput.Close();
            return;
        }

        UnixSignals.Send(ProcessId, UnixSignals.SigTerm);
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public void Dispose() => _process.Dispose();

    private async Task WaitForExitAsync()
    {
        // WaitForExitAsync also waits for the redirected output to be drained, so the last lines are kept.
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _exited.TrySetResult(new WorkerExit(_process.ExitCode));
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_recentOutput)
        {
            if (_recentOutput.Count == RecentOutputLines)
            {
                _recentOutput.Dequeue();
            }

            _recentOutput.Enqueue(line);
        }

        Console.Out.WriteLine(_prefix + line);
    }
}
