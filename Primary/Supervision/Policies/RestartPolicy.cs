using ClusterTemplate.Primary.Configuration;

namespace ClusterTemplate.Primary.Supervision.Policies;

/// <summary>
/// When a slot whose process exited unexpectedly starts its next one. The first crash after a stable run
/// restarts at once; the n-th in a row after <c>BaseDelay * Factor^(n-2)</c>, capped at <c>MaxDelay</c>.
/// More than <c>CrashLoopMaxRestarts</c> restarts within <c>CrashLoopWindow</c> are a crash loop: the slot
/// is reported failed and retried only every <c>MaxDelay</c>, so a broken build never spins the primary.
/// A process that ran for <c>StableAfter</c> (seen at its exit, or by the liveness probe while it runs)
/// clears both the backoff and the crash loop.
/// </summary>
public sealed class RestartPolicy(RestartOptions options)
{
    private readonly Queue<DateTimeOffset> _recentRestarts = new();
    private int _consecutiveCrashes;

    /// <summary>Whether the slot is in a crash loop.</summary>
    public bool InCrashLoop { get; private set; }

    /// <summary>Records an unplanned exit at <paramref name="now"/> of a process that ran for <paramref name="uptime"/>.</summary>
    public RestartDecision OnUnplannedExit(TimeSpan uptime, DateTimeOffset now)
    {
        OnRunning(uptime);
        _consecutiveCrashes++;
        _recentRestarts.Enqueue(now);
        while (now - _recentRestarts.Peek() > options.CrashLoopWindow)
        {
            _recentRestarts.Dequeue();
        }

        InCrashLoop = InCrashLoop || _recentRestarts.Count > options.CrashLoopMaxRestarts;
        return new RestartDecision(InCrashLoop ? options.MaxDelay : Backoff(), InCrashLoop, _consecutiveCrashes);
    }

    /// <summary>Records that the slot's process has been up for <paramref name="uptime"/> and passes its probes.</summary>
    public void OnRunning(TimeSpan uptime)
    {
        if (uptime >= options.StableAfter)
        {
            _consecutiveCrashes = 0;
            _recentRestarts.Clear();
            InCrashLoop = false;
        }
    }

    private TimeSpan Backoff()
    {
        if (_consecutiveCrashes == 1)
        {
            // A crash after a stable run is news, not a loop: get the capacity back as fast as possible.
            return TimeSpan.Zero;
        }

        var scaled = options.BaseDelay.TotalMilliseconds * Math.Pow(options.Factor, _consecutiveCrashes - 2);
        return scaled >= options.MaxDelay.TotalMilliseconds || double.IsInfinity(scaled)
            ? options.MaxDelay
            : TimeSpan.FromMilliseconds(scaled);
    }
}

/// <summary>What <see cref="RestartPolicy"/> decided about an unplanned exit.</summary>
/// <param name="Delay">How long to wait before the next start.</param>
/// <param name="CrashLoop">Whether the slot is in a crash loop: reported failed, retried every <c>MaxDelay</c>.</param>
/// <param name="ConsecutiveCrashes">Crashes in a row since the last stable run, this one included.</param>
public readonly record struct RestartDecision(TimeSpan Delay, bool CrashLoop, int ConsecutiveCrashes);
