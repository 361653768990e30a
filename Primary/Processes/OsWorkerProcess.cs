using System.Diagnostics;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Primary.Processes;

/// <summary>A worker running as an operating-system child process, its output passed on to <see cref="WorkerOutput"/>.</summary>
internal sealed class OsWorkerProcess : IWorkerProcess
{
    private const int RecentOutputLines = 20;

    // How long the last lines get to arrive once the process is gone; a child that inherited the pipes can hold them open for ever.
    private static readonly TimeSpan s_outputDrain = TimeSpan.FromMilliseconds(500);

    private readonly Process _process;
    private readonly TimeProvider _time;
    private readonly WorkerOutput _output;
    private readonly int _workerId;
    private readonly string _prefix;
    private readonly Queue<string> _recentOutput = new();
    private readonly TaskCompletionSource<WorkerExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OsWorkerProcess(Process process, int workerId, WorkerOutput output, TimeProvider time)
    {
        _process = process;
        _time = time;
        _output = output;
        _workerId = workerId;
        ProcessId = process.Id;
        _prefix = workerId == WorkerLaunchSpec.InitWorkerId
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[init pid {ProcessId}] ")
            : WorkerOutputPrefix.Format(workerId, ProcessId);
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

    /// <summary>Starts the process; throws what <see cref="Process.Start()"/> throws when it cannot.</summary>
    public static OsWorkerProcess Start(ProcessStartInfo startInfo, int workerId, WorkerOutput output, TimeProvider time)
    {
        // The process's own exit (SIGCHLD), seen whether or not its output pipes are still open; subscribed before the start, so it cannot be missed.
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        var worker = new OsWorkerProcess(process, workerId, output, time);
        process.OutputDataReceived += (_, e) => worker.OnOutput(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => worker.OnOutput(e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = worker.CompleteOnExitAsync(exited.Task);
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

    private async Task CompleteOnExitAsync(Task exited)
    {
        await exited.ConfigureAwait(false);

        // WaitForExitAsync waits for the end of the redirected output too: the last lines, but only briefly.
        using var drain = new CancellationTokenSource(s_outputDrain, _time);
        await _process.WaitForExitAsync(drain.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _exited.TrySetResult(new WorkerExit(_process.ExitCode));
    }

    private void OnOutput(string? line, bool isError)
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

        _output.Write(_workerId, ProcessId, _prefix, line, isError);
    }
}
