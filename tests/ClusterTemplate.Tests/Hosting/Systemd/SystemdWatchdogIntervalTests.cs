using ClusterTemplate.Primary.Hosting.Systemd;

namespace ClusterTemplate.Tests.Hosting.Systemd;

public sealed class SystemdWatchdogIntervalTests
{
    private const int OwnPid = 4121;

    [Theory]
    [InlineData("30000000", null, 30.0)] // WatchdogSec=30, WATCHDOG_PID unset
    [InlineData("30000000", "", 30.0)]
    [InlineData("500000", "4121", 0.5)] // meant for this process
    [InlineData("30000000", "4122", null)] // meant for another process
    [InlineData("30000000", "x", null)]
    [InlineData(null, null, null)] // no watchdog
    [InlineData("0", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("soon", null, null)]
    public void Read_takes_the_interval_only_when_it_is_meant_for_this_process(string? usec, string? pid, double? expectedSeconds)
    {
        var interval = SystemdWatchdogInterval.Read(usec, pid, OwnPid);

        Assert.Equal(expectedSeconds, interval?.TotalSeconds);
    }
}
