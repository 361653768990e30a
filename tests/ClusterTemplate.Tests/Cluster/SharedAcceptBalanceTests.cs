using System.Globalization;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>In the shared mode with <c>Cluster:AcceptBalance</c> <c>connections</c>, a burst of connections is spread over the workers instead of landing on whichever was awake.</summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed partial class SharedAcceptBalanceTests(ITestOutputHelper output)
{
    private const int Connections = 32;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_burst_of_keep_alive_connections_is_spread_over_the_workers()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, "shared", "--accept-balance", "connections");
        var workers = await primary.WaitForRunningAsync(2);

        // All connect at once, as a load generator or a proxy's pool does; each then stays open (keep-alive).
        using var timeout = new CancellationTokenSource(s_budget);
        var clients = Enumerable.Range(0, Connections).Select(_ => new TcpClient()).ToList();
        try
        {
            await Task.WhenAll(clients.Select(client => client.ConnectAsync("127.0.0.1", primary.Port, timeout.Token).AsTask()));
            var pids = await Task.WhenAll(clients.Select(client => AnsweringPidAsync(client, timeout.Token)));

            var perWorker = workers.ToDictionary(worker => worker.ProcessId, worker => pids.Count(pid => pid == worker.ProcessId));
            output.WriteLine($"connections per worker: {string.Join(", ", perWorker.Select(pair => $"pid {pair.Key}: {pair.Value}"))}");
            Assert.Equal(Connections, perWorker.Values.Sum());

            // Even is 16 and 16. Without balancing, whichever worker is awake drains the burst: 32/0 and 1/31 in two of four
            // runs here (12/20 and 19/13 in the others); with it, 13/19 at worst in six runs on a loaded machine.
            Assert.All(perWorker.Values, count => Assert.InRange(count, Connections / 4, Connections - (Connections / 4)));
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task Connections_the_server_closes_are_uncounted_so_fresh_connections_never_wait()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, "shared", "--accept-balance", "connections");
        var workers = await primary.WaitForRunningAsync(2);

        // Each request asks for Connection: close, so the worker closes every connection itself.
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(200, (int)(await PublicClient.GetAsync(primary.BaseAddress)).Status);
        }

        // Counts left behind would make the workers take turns waiting before each accept (about 500 requests/s in all).
        using var board = AcceptLoadBoard.Open(Path.Combine(primary.RuntimeDirectory, "accept-load.board"));
        var deadline = DateTime.UtcNow + s_budget;
        IReadOnlyList<(int ProcessId, int Connections)> entries;
        do
        {
            entries = [.. Enumerable.Range(0, board.EntriesInUse).Select(board.Read).Where(entry => entry.ProcessId != 0)];
            if (entries.All(entry => entry.Connections == 0))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
        while (DateTime.UtcNow < deadline);

        output.WriteLine($"board: {string.Join(", ", entries.Select(entry => $"pid {entry.ProcessId}: {entry.Connections}"))}");
        Assert.Equal(workers.Select(worker => worker.ProcessId).Order(), entries.Select(entry => entry.ProcessId).Order());
        Assert.All(entries, entry => Assert.Equal(0, entry.Connections));
    }

    [Fact]
    public async Task The_load_board_is_private_exists_only_while_the_primary_runs_and_only_when_asked_for()
    {
        string board;
        await using (var primary = PrimaryProcess.Start(output, workers: 1, "shared", "--accept-balance", "connections"))
        {
            await primary.WaitForRunningAsync(1);
            board = Path.Combine(primary.RuntimeDirectory, "accept-load.board");
            Assert.True(File.Exists(board));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(board));
        }

        Assert.False(File.Exists(board));

        await using (var primary = PrimaryProcess.Start(output, workers: 1, "shared"))
        {
            await primary.WaitForRunningAsync(1);
            Assert.False(File.Exists(Path.Combine(primary.RuntimeDirectory, "accept-load.board")));
            Assert.Equal(200, (int)(await PublicClient.GetAsync(primary.BaseAddress)).Status);
        }
    }

    [Fact]
    public async Task An_unknown_accept_balance_is_refused_with_one_line_naming_the_setting()
    {
        var (exitCode, _, standardError) = await PrimaryProcess.RunToExitAsync("--mode", "shared", "--accept-balance", "fair", "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture));

        Assert.Equal(2, exitCode);
        Assert.Equal("error: Cluster:AcceptBalance must be connections or none (got 'fair').", standardError.Trim());
    }

    private static async Task<int> AnsweringPidAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), cancellationToken);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, $"The connection closed before the response headers: {received}");
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return int.Parse(PidHeader().Match(received.ToString()).Groups["pid"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"X-Cluster-Worker-Pid: (?<pid>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex PidHeader();
}
