using ClusterTemplate.Primary.Configuration;

namespace ClusterTemplate.Primary.Supervision.Policies;

/// <summary>
/// Notices a slot that keeps crashing: more than <c>CrashLoopMaxRestarts</c> restarts within
/// <c>CrashLoopWindow</c> trip the guard. A tripped slot is reported failed and retried only at the
/// capped interval, so a broken build never spins the primary.
/// </summary>
public sealed class CrashLoopGuard(RestartOptions options)
{
    private readonly Queue<DateTimeOffset> _restarts = new();

    /// <summary>Whether the slot is in a crash loop.</summary>
    public bool IsTripped { get; private set; }

    /// <summary>Records a restart at <paramref name="now"/>; returns true if the slot is (still) in a crash loop.</summary>
    public bool RecordRestart(DateTimeOffset now)
    {
        _restarts.Enqueue(now);
        while (_restarts.Count > 0 && now - _restarts.Peek() > options.CrashLoopWindow)
        {
            _restarts.Dequeue();
        }

        IsTripped = IsTripped || _restarts.Count > options.CrashLoopMaxRestarts;
        return IsTripped;
    }

    /// <summary>Clears the history once the slot has run stably again.</summary>
    public void Reset()
    {
        _restarts.Clear();
        IsTripped = false;
    }
}
