namespace ClusterTemplate.Primary.Configuration;

/// <summary>How a worker that exits unexpectedly is restarted.</summary>
public sealed class RestartOptions
{
    /// <summary>Delay before the second consecutive restart (the first after a stable run is immediate). Defaults to 100 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Each consecutive crash multiplies the delay by this factor. Defaults to 2.</summary>
    public double Factor { get; set; } = 2;

    /// <summary>The longest delay between restarts, also the retry interval of a failed slot. Defaults to 15 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A worker up this long is stable: its backoff starts again from <see cref="BaseDelay"/>. Defaults to 30 s.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>More restarts than this within <see cref="CrashLoopWindow"/> mark the slot failed. Defaults to 5.</summary>
    public int CrashLoopMaxRestarts { get; set; } = 5;

    /// <summary>The window over which restarts are counted by the crash-loop guard. Defaults to 60 s.</summary>
    public TimeSpan CrashLoopWindow { get; set; } = TimeSpan.FromSeconds(60);
}
