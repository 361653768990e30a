using ClusterTemplate.Primary.Configuration;

namespace ClusterTemplate.Primary.Supervision.Policies;

/// <summary>
/// Exponential backoff between crash restarts of one slot: <c>BaseDelay * Factor^(n-1)</c> for the
/// n-th consecutive crash, capped at <c>MaxDelay</c>. A run that lasted <c>StableAfter</c> resets n.
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
        var scaled = options.BaseDelay.TotalMilliseconds * Math.Pow(options.Factor, _consecutiveCrashes - 1);
        return scaled >= options.MaxDelay.TotalMilliseconds || double.IsInfinity(scaled)
            ? options.MaxDelay
            : TimeSpan.FromMilliseconds(scaled);
    }
}
