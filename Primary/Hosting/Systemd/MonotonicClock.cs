using System.Runtime.InteropServices;

namespace ClusterTemplate.Primary.Hosting.Systemd;

/// <summary>
/// CLOCK_MONOTONIC, the clock of sd_notify's <c>MONOTONIC_USEC=</c>. Read with clock_gettime itself:
/// <see cref="System.Diagnostics.Stopwatch"/> and <see cref="Environment.TickCount64"/> are not promised to be that clock.
/// </summary>
internal static class MonotonicClock
{
    private const int ClockMonotonic = 1;

    /// <summary>CLOCK_MONOTONIC now, in microseconds.</summary>
    public static long NowMicroseconds()
    {
        if (ClockGetTime(ClockMonotonic, out var now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_MONOTONIC) failed: errno " + Marshal.GetLastPInvokeError());
        }

        return (now.Seconds * 1_000_000) + (now.Nanoseconds / 1_000);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable SYSLIB1054 // A single blittable call; DllImport keeps AllowUnsafeBlocks off.
    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054
}
