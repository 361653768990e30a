using ClusterTemplate.Primary.Hosting.Systemd;
using ClusterTemplate.Primary.Supervision;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ClusterTemplate.Tests.Hosting.Systemd;

public sealed class SystemdWatchdogTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pings_at_once_and_then_every_half_interval()
    {
        var notifier = new RecordingNotifier(enabled: true);
        var time = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(notifier, new WorkerSlots(), new SupervisorHeartbeat(new WorkerSlots(), time), time, s_interval, NullLogger<SystemdWatchdog>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        Assert.Equal(["WATCHDOG=1"], notifier.Sent);

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Single(notifier.Sent);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(2, notifier.Sent.Count);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(3, notifier.Sent.Count);

        await watchdog.StopAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, notifier.Sent.Count);
    }

    [Fact]
    public async Task Stops_pinging_once_the_supervisor_stops_ticking()
    {
        var notifier = new RecordingNotifier(enabled: true);
        var time = new FakeTimeProvider();
        var slots = new WorkerSlots();
        var heartbeat = new SupervisorHeartbeat(slots, time);
        heartbeat.Tick();
        using var watchdog = new SystemdWatchdog(notifier, slots, heartbeat, time, s_interval, NullLogger<SystemdWatchdog>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        time.Advance(SupervisorHeartbeat.StaleAfter);
        var whileFresh = notifier.Sent.Count;
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(3, whileFresh);
        Assert.Equal(whileFresh, notifier.Sent.Count);

        heartbeat.Tick();
        time.Advance(s_interval / 2);
        Assert.Equal(whileFresh + 1, notifier.Sent.Count);
    }

    [Theory]
    [InlineData(true, false)] // no WATCHDOG_USEC
    [InlineData(false, true)] // no NOTIFY_SOCKET
    public async Task Sends_nothing_without_a_watchdog_or_a_notify_socket(bool enabled, bool hasInterval)
    {
        var notifier = new RecordingNotifier(enabled);
        var time = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(notifier, new WorkerSlots(), new SupervisorHeartbeat(new WorkerSlots(), time), time, hasInterval ? s_interval : null, NullLogger<SystemdWatchdog>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(notifier.Sent);
    }

    private sealed class RecordingNotifier(bool enabled) : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];

        public bool IsEnabled => enabled;

        public void Notify(ServiceState state) => Sent.Add(state.ToString());
    }
}
