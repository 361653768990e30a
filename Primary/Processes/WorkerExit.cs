namespace ClusterTemplate.Primary.Processes;

/// <summary>How a worker process ended, or why it never started.</summary>
/// <param name="ExitCode">The exit code; on Unix a process ended by signal N reports 128 + N; <see cref="NotStartedExitCode"/> for a process that never started.</param>
/// <param name="StartFailure">The operating system's error when the process could not be started at all.</param>
public readonly record struct WorkerExit(int ExitCode, string? StartFailure = null)
{
    /// <summary>The exit code of a worker that could not be started: no process ends with it.</summary>
    public const int NotStartedExitCode = -1;

    /// <summary>The signal that ended the process, if the exit code says so.</summary>
    public int? Signal => OperatingSystem.IsWindows() || StartFailure is not null || ExitCode is <= 128 or > 128 + 64 ? null : ExitCode - 128;

    /// <summary>The exit of a worker whose start failed with <paramref name="error"/>.</summary>
    public static WorkerExit NotStarted(string error) => new(NotStartedExitCode, error);

    /// <summary>"exit code 3", "signal 9 (SIGKILL)", or "could not be started: (the OS error)".</summary>
    public override string ToString() => (StartFailure, Signal) switch
    {
        ({ } error, _) => $"could not be started: {error}",
        (_, null) => $"exit code {ExitCode}",
        (_, { } signal) => $"signal {signal} ({SignalName(signal)})",
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
