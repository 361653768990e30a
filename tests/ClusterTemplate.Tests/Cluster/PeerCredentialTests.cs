using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The control socket and the management sockets answer only the primary's own user (and root), and the
/// primary believes a management socket only when the worker it started is the one listening on it.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class PeerCredentialTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_replacementBudget = TimeSpan.FromSeconds(30);

    [RootFact]
    public async Task Another_user_is_refused_on_the_control_socket_and_on_a_management_socket_even_when_the_folder_lets_it_in()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport");
        var worker = Assert.Single(await primary.WaitForRunningAsync(1));
        var control = ControlSocket.PathIn(primary.RuntimeDirectory);
        var management = Path.Combine(primary.RuntimeDirectory, $"worker-{worker.WorkerId}-{worker.Generation}.sock");

        // A mistake (or a later chmod) opens the folder and the sockets: the peer check must still hold.
        File.SetUnixFileMode(primary.RuntimeDirectory, (UnixFileMode)Convert.ToInt32("711", 8));
        File.SetUnixFileMode(control, (UnixFileMode)Convert.ToInt32("777", 8));
        File.SetUnixFileMode(management, (UnixFileMode)Convert.ToInt32("777", 8));

        var asControl = await OtherUser.RunAsync("curl", "-sS", "--max-time", "10", "--unix-socket", control, "http://primary" + ControlRoutes.Status);
        var asManagement = await OtherUser.RunAsync("curl", "-sS", "--max-time", "10", "--unix-socket", management, "http://worker" + ManagementPaths.Ready);

        Assert.True(asControl.ExitCode != 0, $"nobody read the worker table: {asControl.StandardOutput}");
        Assert.Equal("", asControl.StandardOutput);
        Assert.True(asManagement.ExitCode != 0, $"nobody was told the worker is ready: {asManagement.StandardOutput}");
        Assert.Equal("", asManagement.StandardOutput);
        await primary.WaitForOutputAsync($"Refused a connection on {control} from uid {OtherUser.Id}", TimeSpan.FromSeconds(5));
        Assert.Single((await primary.GetStatusAsync()).Workers);
    }

    [Fact]
    public async Task A_socket_squatting_on_the_next_management_socket_name_is_never_asked_whether_the_worker_is_ready()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport");
        var victim = Assert.Single(await primary.WaitForRunningAsync(1));
        using var squatter = new SquattingSocket(Path.Combine(primary.RuntimeDirectory, $"worker-{victim.WorkerId}-{victim.Generation + 1}.sock"));

        Assert.True(UnixSignals.Send(victim.ProcessId, 9));
        await primary.WaitForWorkersAsync(
            workers => workers.Single() is { State: Shared.Control.WorkerState.Running, Ready: true } replacement && replacement.ProcessId != victim.ProcessId,
            s_replacementBudget);

        Assert.Equal("", squatter.Received);
    }

    /// <summary>Listens on a socket path and answers every request "200 OK", as a squatter would.</summary>
    private sealed class SquattingSocket : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly StringBuilder _received = new();
        private readonly string _path;

        public SquattingSocket(string path)
        {
            _path = path;
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen();
            _ = AcceptAsync();
        }

        public string Received
        {
            get
            {
                lock (_received)
                {
                    return _received.ToString();
                }
            }
        }

        public void Dispose()
        {
            _listener.Dispose();
            File.Delete(_path);
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    _ = AnswerAsync(await _listener.AcceptAsync());
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task AnswerAsync(Socket connection)
        {
            using (connection)
            {
                var buffer = new byte[4096];
                try
                {
                    int read;
                    while ((read = await connection.ReceiveAsync(buffer)) > 0)
                    {
                        lock (_received)
                        {
                            _received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                        }

                        await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
                    }
                }
                catch (SocketException)
                {
                }
            }
        }
    }
}
