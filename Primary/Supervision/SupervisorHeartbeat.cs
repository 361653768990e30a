namespace ClusterTemplate.Primary.Supervision;

/// <summary>
/// The supervisor's own liveness signal: a tick every <see cref="Period"/> from the supervisor's start until its
/// drain is over, each after reading the worker table under its lock. A starved thread pool, stopped timers or a
/// table lock that is never released stop it; the primary's <c>/healthz</c> fails once the last tick is older
/// than <see cref="StaleAfter"/>.
/// </summary>
internal sealed class SupervisorHeartbeat(WorkerSlots slots, TimeProvider time)
{
    /// <summary>Time between ticks.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>A last tick older than this means the supervision is stuck. Ten periods: a busy machine is not a dead primary.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    private long _lastTick = long.MinValue;

    /// <summary>When the loop last ticked, or <see langword="null"/> before the supervisor started.</summary>
    public DateTimeOffset? LastTick => Interlocked.Read(ref _lastTick) is var ticks && ticks == long.MinValue
        ? null
        : new DateTimeOffset(ticks, TimeSpan.Zero);

    /// <summary>How long ago the loop last ticked, or <see langword="null"/> before the supervisor started.</summary>
    public TimeSpan? Age => LastTick is { } last ? time.GetUtcNow() - last : null;

    /// <summary>Whether the supervision is alive: not started yet (the cluster init runs), or ticked within <see cref="StaleAfter"/>.</summary>
    public bool IsAlive => Age is not { } age || age <= StaleAfter;

    /// <summary>Records a tick now.</summary>
    public void Tick()
    {
        _ = slots.Count;
        Interlocked.Exchange(ref _lastTick, time.GetUtcNow().UtcTicks);
    }

    /// <summary>Ticks every <see cref="Period"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Tick();
            await Task.Delay(Period, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
