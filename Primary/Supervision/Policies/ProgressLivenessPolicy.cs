namespace ClusterTemplate.Primary.Supervision.Policies;

/// <summary>
/// A ready worker is alive while its heartbeat (set by the worker whenever its thread pool makes progress)
/// is younger than <paramref name="timeout"/>. Until the first heartbeat, the time it got ready counts as one.
/// </summary>
public sealed class ProgressLivenessPolicy(TimeSpan timeout)
{
    /// <summary>How long the worker has been silent at <paramref name="now"/>.</summary>
    public static TimeSpan Silence(DateTimeOffset? lastHeartbeat, DateTimeOffset readyAt, DateTimeOffset now)
    {
        var last = lastHeartbeat is { } beat && beat > readyAt ? beat : readyAt;
        return now - last;
    }

    /// <summary>Whether a worker silent for <paramref name="silence"/> is still alive.</summary>
    public bool IsAlive(TimeSpan silence) => silence <= timeout;
}
