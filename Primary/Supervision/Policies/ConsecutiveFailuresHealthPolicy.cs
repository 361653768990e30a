namespace ClusterTemplate.Primary.Supervision.Policies;

/// <summary>A worker is unhealthy after <paramref name="threshold"/> liveness probes in a row fail or time out.</summary>
public sealed class ConsecutiveFailuresHealthPolicy(int threshold)
{
    /// <summary>Failed probes since the last success.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Records one probe; returns true when the worker must be replaced.</summary>
    public bool RecordProbe(bool succeeded)
    {
        ConsecutiveFailures = succeeded ? 0 : ConsecutiveFailures + 1;
        return ConsecutiveFailures >= threshold;
    }
}
