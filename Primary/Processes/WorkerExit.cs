namespace ClusterTemplate.Primary.Processes;

/// <summary>How a worker process ended.</summary>
/// <param name="ExitCode">The exit code; on Unix a process ended by signal N reports 128 + N.</param>
public readonly record struct WorkerExit(int ExitCode)
{
    /// <summary>The signal that ended the process, if the exit code says so.</summary>
    public int? Signal => OperatingSystem.IsWindows() || ExitCode is <= 128 or > 128 + 64 ? null : ExitCode - 128;

    /// <summary>"exit code 3", or "signal 9 (SIGKILL)".</summary>
    public override string ToString() => Signal switch
    {
        null => $"exit code {ExitCode}",
        { } signal => $"signal {signal} ({SignalName(signal)})",
    };

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "SIG" + signal,
    };
}
