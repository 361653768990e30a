using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// Plays systemd's part of sd_notify: a Unix datagram socket whose path the test gives the primary as
/// <c>NOTIFY_SOCKET</c>; every datagram is kept with the time it arrived, on the wall clock and on CLOCK_MONOTONIC.
/// </summary>
internal sealed class FakeSystemd : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ct-notify-");
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<Notification> _received = new();
    private readonly Thread _receiver;
    private volatile bool _stopping;

    public FakeSystemd()
    {
        SocketPath = Path.Combine(_folder.FullName, "notify");
        _socket.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _socket.ReceiveTimeout = 200;

        // A thread of its own, so a datagram's arrival time is not when a busy thread pool got to it.
        _receiver = new Thread(Receive) { IsBackground = true, Name = "fake systemd" };
        _receiver.Start();
    }

    /// <summary>The value of <c>NOTIFY_SOCKET</c>.</summary>
    public string SocketPath { get; }

    public IReadOnlyList<Notification> Received => [.. _received];

    /// <summary>CLOCK_MONOTONIC now, in microseconds: the clock of <c>MONOTONIC_USEC=</c>.</summary>
    public static long MonotonicMicroseconds()
    {
        Assert.Equal(0, ClockGetTime(1 /* CLOCK_MONOTONIC */, out var now));
        return (now.Seconds * 1_000_000) + (now.Nanoseconds / 1_000);
    }

    /// <summary>Waits for the first datagram after the first <paramref name="skip"/> that <paramref name="match"/> accepts.</summary>
    public async Task<Notification> WaitForAsync(Func<Notification, bool> match, TimeSpan budget, int skip = 0)
    {
        using var timeout = new CancellationTokenSource(budget);
        while (true)
        {
            if (Received.Skip(skip).FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("No such notification within " + budget + "; received:\n" + Describe());
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>Every datagram received, one per line, with the time it arrived.</summary>
    public string Describe() => string.Join('\n', Received.Select(item => item.ToString()));

    public void Dispose()
    {
        _stopping = true;
        _receiver.Join(TimeSpan.FromSeconds(5));
        _socket.Dispose();
        _folder.Delete(recursive: true);
    }

    private void Receive()
    {
        var buffer = new byte[4096];
        while (!_stopping)
        {
            try
            {
                var length = _socket.Receive(buffer);
                _received.Enqueue(new Notification(DateTimeOffset.UtcNow, MonotonicMicroseconds(), Encoding.UTF8.GetString(buffer, 0, length)));
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.TimedOut)
            {
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable SYSLIB1054 // A single blittable call; DllImport keeps AllowUnsafeBlocks off.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054

    /// <summary>One sd_notify datagram: newline-separated assignments.</summary>
    internal sealed record Notification(DateTimeOffset ReceivedAt, long ReceivedMonotonicMicroseconds, string Text)
    {
        public IReadOnlyDictionary<string, string> Fields => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");

        public bool Has(string assignment) => Text.Split('\n').Contains(assignment);

        public override string ToString() => $"{ReceivedAt:HH:mm:ss.fff} {Text.Replace("\n", " | ", StringComparison.Ordinal)}";
    }
}
