using System.Globalization;
using System.Net.Sockets;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;
using ClusterTemplate.Shared.Control;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>
/// The primary binds the public port once, before the first worker starts, and holds the socket until it
/// exits; the workers inherit it and accept from its one queue. The queue outlives every worker, so a
/// stopping worker leaves its share of queued connections to the others, with no kernel setting needed.
/// With <c>Cluster:AcceptBalance</c> <c>connections</c>, the primary also keeps the workers' accept load board
/// (<see cref="AcceptLoadBoard"/>): it makes it, sizes the part in use and clears the entries of workers that exited.
/// </summary>
internal sealed class SharedMode(IOptions<ClusterOptions> options) : IListenerMode, IDisposable
{
    private Socket? _socket;
    private AcceptLoadBoard? _board;
    private string? _boardPath;

    public string Name => ListenerModeNames.Shared;

    public string Description => "the primary binds the port once and the workers accept from the socket they inherit (one queue)";

    public string? UnsupportedReason => InheritedListenSocket.IsSupported
        ? null
        : "Cluster:Mode 'shared' needs Linux or macOS (workers inherit the listening socket); accepted here: proxy.";

    public void Start()
    {
        var settings = options.Value;
        _socket ??= InheritedListenSocket.Listen(PublicAddress.EndPoint(settings.Address, settings.Port));
        if (_board is null && AcceptBalanceModes.Balances(settings.AcceptBalance))
        {
            _boardPath = ClusterRuntimeDirectory.AcceptLoadBoardPathIn(ClusterRuntimeDirectory.Resolve(settings.RuntimeDirectory, settings.Port));
            _board = AcceptLoadBoard.Create(_boardPath, AcceptLoadBoard.CapacityFor(ClusterOptions.MaxWorkers));
        }
    }

    // The socket is open without close-on-exec, so the child inherits it under the same number.
    public void AddWorkerEnvironment(IDictionary<string, string> environment, int workerId, int generation)
    {
        environment[ClusterEnvironment.ListenFileDescriptor] = FileDescriptor.ToString(CultureInfo.InvariantCulture);
        if (_boardPath is not null)
        {
            environment[ClusterEnvironment.AcceptLoadBoard] = _boardPath;
        }
    }

    public void OnWorkersChanged(IReadOnlyList<WorkerSnapshot> workers)
    {
        if (_board is not { } board)
        {
            return;
        }

        // Room for both generations of the highest slot: a rolling restart runs the old and the new side by side.
        var highestSlot = workers.Count == 0 ? 0 : workers.Max(worker => worker.WorkerId);
        board.EntriesInUse = Math.Max(board.EntriesInUse, AcceptLoadBoard.IndexOf(highestSlot + 1, 0));
        board.WithdrawAllBut(workers.Where(worker => worker.ProcessId > 0 && IsRunning(worker.State)).Select(worker => worker.ProcessId).ToHashSet());
    }

    // Kept open through the workers' drain: the host disposes it after the supervisor stopped them.
    public void Dispose()
    {
        _socket?.Dispose();
        _board?.Dispose();
    }

    private static bool IsRunning(WorkerState state) => state is WorkerState.Starting or WorkerState.Running or WorkerState.Stopping;

    private int FileDescriptor => _socket is { } socket
        ? (int)socket.SafeHandle.DangerousGetHandle()
        : throw new InvalidOperationException("The shared listening socket is bound when the supervisor starts, before any worker.");
}
