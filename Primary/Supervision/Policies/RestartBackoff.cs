using ClusterTemplate.Primary.Configuration;

namespace ClusterTemplate.Primary.Supervision.Policies;

/// <summary>
/// Exponential backoff between crash restarts of one slot. The first crash after a stable run is
/// restarted at once; the n-th consecutive one after <c>BaseDelay * Factor^(n-2)</c>, capped at
/// <c>MaxDelay</c>. A run that lasted <c>StableAfter</c> resets n.
/// </summary>
public sealed class RestartBackoff(RestartOptions options)
{
    private int _consecutiveCrashes;

    /// <summary>Crashes since the last stable run.</summary>
    public int ConsecutiveCrashes => _consecutiveCrashes;

    /// <summary>Records a crash after a run of <paramref name="uptime"/> and returns the delay before the next start.</summary>
    public TimeSpan NextDelay(TimeSpan uptime)
    {
        if (uptime >= options.StableAfter)
        {
            _consecutiveCrashes = 0;
        }

        _consecutiveCrashes++;
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
