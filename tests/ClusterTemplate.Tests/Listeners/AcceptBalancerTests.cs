using ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;
using Microsoft.Extensions.Time.Testing;

namespace ClusterTemplate.Tests.Listeners;

/// <summary>The shared mode's load-aware accepting: the board, and when a worker yields the next connection.</summary>
public sealed class AcceptBalancerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("accept-balance-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly List<AcceptBalancer> _balancers = [];

    private string BoardPath => Path.Combine(_folder, "accept-load.board");

    [Fact]
    public void The_board_is_private_to_its_user_and_two_generations_of_a_slot_never_share_an_entry()
    {
        using var board = AcceptLoadBoard.Create(BoardPath, AcceptLoadBoard.CapacityFor(4));

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(BoardPath));
        }

        int[] indices = [.. Enumerable.Range(1, 4).SelectMany(slot => new[] { AcceptLoadBoard.IndexOf(slot, 1), AcceptLoadBoard.IndexOf(slot, 2) })];
        Assert.Equal(indices.Length, indices.Distinct().Count());
        Assert.All(indices, index => Assert.InRange(index, 0, AcceptLoadBoard.CapacityFor(4) - 1));
        Assert.Equal(AcceptLoadBoard.IndexOf(3, 1), AcceptLoadBoard.IndexOf(3, 3));
    }

    [Fact]
    public void A_worker_reads_the_fewest_connections_of_the_others_that_are_alive_and_in_use()
    {
        using var primary = AcceptLoadBoard.Create(BoardPath, 8);
        using var worker = AcceptLoadBoard.Open(BoardPath);
        primary.EntriesInUse = 4;
        var now = _time.GetTimestamp();

        worker.Publish(0, processId: 100, connections: 7);
        worker.Beat(0, now);
        worker.Publish(1, processId: 101, connections: 3);
        worker.Beat(1, now);
        worker.Publish(2, processId: 102, connections: 1);
        worker.Beat(2, now - 10);
        worker.Publish(5, processId: 105, connections: 0);
        worker.Beat(5, now);

        Assert.Equal(3, primary.FewestConnectionsOfOthers(ownIndex: 0, aliveSince: now));
        Assert.Equal(1, primary.FewestConnectionsOfOthers(ownIndex: 0, aliveSince: now - 10));
        Assert.Equal(7, primary.FewestConnectionsOfOthers(ownIndex: 1, aliveSince: now));
        Assert.Equal((101, 3), primary.Read(1));

        primary.WithdrawAllBut(new HashSet<int> { 100, 102 });
        Assert.Equal((0, 0), worker.Read(1));
        Assert.Equal((100, 7), worker.Read(0));
        Assert.Null(worker.FewestConnectionsOfOthers(ownIndex: 0, aliveSince: now));
    }

    [Fact]
    public void A_file_that_is_not_a_board_is_refused()
    {
        File.WriteAllText(BoardPath, "not a board");

        Assert.Throws<InvalidDataException>(() => AcceptLoadBoard.Open(BoardPath));
    }

    [Fact]
    public async Task A_worker_with_more_connections_than_a_live_other_yields_until_it_has_caught_up()
    {
        using var board = CreateBoard();
        var busy = Join(board, workerId: 1);
        var idle = Join(board, workerId: 2);
        Accept(busy, AcceptBalancer.Slack + 1);
        Accept(idle, 1);

        Assert.True(busy.ShouldYield());
        Assert.False(idle.ShouldYield());
        Assert.True(idle.WaitForTurnAsync(CancellationToken.None).IsCompletedSuccessfully);
        var turn = busy.WaitForTurnAsync(CancellationToken.None).AsTask();
        Assert.False(turn.IsCompleted);

        Accept(idle, 1);
        var advanced = await AdvanceUntilAsync(turn);

        Assert.True(advanced < AcceptBalancer.YieldLimit, $"the yield ended after {advanced}, not when the other caught up");
    }

    [Fact]
    public void A_difference_below_the_slack_does_not_yield_so_short_connections_never_wait()
    {
        using var board = CreateBoard();
        var first = Join(board, workerId: 1);
        var second = Join(board, workerId: 2);
        Accept(first, AcceptBalancer.Slack - 1);

        Assert.False(first.ShouldYield());
        Assert.True(first.WaitForTurnAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(second.WaitForTurnAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_yield_ends_after_its_limit_when_the_others_do_not_catch_up()
    {
        using var board = CreateBoard();
        var busy = Join(board, workerId: 1);
        Join(board, workerId: 2);
        Accept(busy, AcceptBalancer.Slack);

        var turn = busy.WaitForTurnAsync(CancellationToken.None).AsTask();
        var advanced = await AdvanceUntilAsync(turn);

        Assert.True(advanced >= AcceptBalancer.YieldLimit, $"the yield ended after {advanced}, before its limit");
        Assert.True(busy.ShouldYield());
    }

    [Fact]
    public void A_worker_whose_runtime_stopped_beating_is_not_yielded_to()
    {
        using var board = CreateBoard();
        var live = Join(board, workerId: 1);
        Join(board, workerId: 2);
        Accept(live, AcceptBalancer.Slack + 2);
        Assert.True(live.ShouldYield());

        // Only the live worker's heartbeat keeps beating; the hung one's entry stays as it was.
        _time.Advance(AcceptBalancer.AliveWithin / 2);
        live.Beat();
        Assert.True(live.ShouldYield());
        _time.Advance(AcceptBalancer.AliveWithin / 2 + TimeSpan.FromMilliseconds(1));
        live.Beat();
        Assert.Equal((2, 0), board.Read(AcceptLoadBoard.IndexOf(2, 1)));

        Assert.False(live.ShouldYield());
        Assert.True(live.WaitForTurnAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void Closed_connections_are_uncounted_and_a_withdrawn_worker_is_not_waited_for()
    {
        using var board = CreateBoard();
        var first = Join(board, workerId: 1);
        var second = Join(board, workerId: 2);
        Accept(first, AcceptBalancer.Slack);
        Assert.True(first.ShouldYield());

        first.OnClosed();
        Assert.Equal(AcceptBalancer.Slack - 1, first.OpenConnections);
        Assert.False(first.ShouldYield());

        Accept(first, 1);
        second.Withdraw();
        Assert.False(first.ShouldYield());
        Assert.Equal((0, 0), board.Read(AcceptLoadBoard.IndexOf(2, 1)));

        // A connection of the withdrawn worker that closes later does not put it back on the board.
        second.OnAccepted();
        second.OnClosed();
        Assert.Equal((0, 0), board.Read(AcceptLoadBoard.IndexOf(2, 1)));
    }

    public void Dispose()
    {
        foreach (var balancer in _balancers)
        {
            balancer.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private AcceptLoadBoard CreateBoard()
    {
        var board = AcceptLoadBoard.Create(BoardPath, AcceptLoadBoard.CapacityFor(2));
        board.EntriesInUse = AcceptLoadBoard.CapacityFor(2);
        return board;
    }

    private AcceptBalancer Join(AcceptLoadBoard board, int workerId)
    {
        var balancer = new AcceptBalancer(AcceptLoadBoard.Open(BoardPath), AcceptLoadBoard.IndexOf(workerId, 1), processId: workerId, _time);
        _balancers.Add(balancer);
        balancer.Join();
        return balancer;
    }

    // The yield's steps continue on the thread pool: step the clock, then give the continuation a moment to end or wait again.
    private async Task<TimeSpan> AdvanceUntilAsync(Task turn)
    {
        var advanced = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!turn.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the yield had not ended after {advanced} of fake time");
            _time.Advance(AcceptBalancer.YieldStep);
            advanced += AcceptBalancer.YieldStep;
            await Task.WhenAny(turn, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        await turn;
        return advanced;
    }

    private static void Accept(AcceptBalancer balancer, int connections)
    {
        for (var i = 0; i < connections; i++)
        {
            balancer.OnAccepted();
        }
    }
}
