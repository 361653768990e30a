using System.Net.Sockets;
using System.Runtime.Versioning;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Tests.Processes;

/// <summary>
/// The runtime folder as the primary makes, takes and leaves it, including the cases the start-up checks
/// cannot catch because the path changed after them.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Unit")]
public sealed class ClusterRuntimeDirectoryTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _path = Path.Combine(Path.GetTempPath(), "ct-unit-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (new FileInfo(_path).LinkTarget is not null)
        {
            File.Delete(_path);
        }

        foreach (var path in new[] { _path, _path + "-target" }.Where(Directory.Exists))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void A_folder_it_makes_is_private_holds_the_lock_and_is_gone_after_the_stop()
    {
        using (Open())
        {
            Assert.Equal(Private, File.GetUnixFileMode(_path));
            Assert.True(ClusterLock.IsHeld(_path, out var holder));
            Assert.Equal(Environment.ProcessId, holder);
        }

        Assert.False(Directory.Exists(_path));
    }

    [Fact]
    public void A_folder_a_dead_primary_left_is_reused_and_only_its_sockets_and_heartbeats_are_removed()
    {
        Directory.CreateDirectory(_path, Private);
        LeaveSocket("control.sock");
        LeaveSocket("worker-1-3.sock");
        File.WriteAllText(Path.Combine(_path, "worker-1-3.heartbeat"), "");
        File.WriteAllText(Path.Combine(_path, "worker-2-1.sock"), "a file, not a socket");
        File.WriteAllText(Path.Combine(_path, "notes.txt"), "mine");

        using (Open())
        {
            Assert.Equal(["notes.txt", ClusterLock.FileName, "worker-2-1.sock"], Entries());
        }

        Assert.Equal(["notes.txt", "worker-2-1.sock"], Entries());
    }

    [Fact]
    public void A_second_primary_in_the_same_folder_is_refused_naming_the_first_until_it_stops()
    {
        var first = Open(port: 8123);

        var refused = Assert.Throws<RuntimeDirectoryException>(() => Open(port: 8123));
        Assert.Equal(
            $"Cluster:Port 8123: another primary (pid {Environment.ProcessId}) already runs this cluster (runtime folder '{_path}'); stop it first or choose another port.",
            refused.Message);
        Assert.True(Directory.Exists(_path));

        first.Dispose();
        Open(port: 8123).Dispose();
    }

    [Fact]
    public void A_link_put_at_the_path_after_the_start_up_checks_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(_path + "-target", Private);
        File.CreateSymbolicLink(_path, _path + "-target");

        var refused = Assert.Throws<RuntimeDirectoryException>(() => Open());

        Assert.StartsWith($"Cluster:RuntimeDirectory '{_path}' is a symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Equal(_path + "-target", new FileInfo(_path).LinkTarget);
    }

    private ClusterRuntimeDirectory Open(int port = 8080) =>
        new(Options.Create(new ClusterOptions { Port = port, RuntimeDirectory = _path }));

    private void LeaveSocket(string name)
    {
        // A socket whose listener is gone, as a primary killed with SIGKILL leaves it.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(_path, name)));
    }

    private string[] Entries() => [.. Directory.GetFileSystemEntries(_path).Select(Path.GetFileName).Order(StringComparer.Ordinal).OfType<string>()];
}
