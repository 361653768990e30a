namespace ClusterTemplate.Primary.Configuration;

/// <summary>
/// When a worker is replaced, the rolling way (replacement ready first), before it grows stale.
/// Both limits are off by default.
/// </summary>
public sealed class RecycleOptions
{
    /// <summary>Replace a worker after it served this many requests; 0 turns it off. Defaults to 0.</summary>
    public long MaxRequests { get; set; }

    /// <summary>
    /// A random 0..N added to <see cref="MaxRequests"/> per worker process, so workers started together
    /// are not all recycled at once. Defaults to 0.
    /// </summary>
    public long MaxRequestsJitter { get; set; }

    /// <summary>Replace a worker whose working set exceeds this many megabytes; 0 turns it off. Defaults to 0.</summary>
    public long MemoryLimitMegabytes { get; set; }
}
