using System;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners.Balancing;

/// <summary>
/// A small shared-memory table, in the cluster's private folder, where each worker of the shared listener mode
/// publishes how many public connections it has open, so a worker can see whether another has fewer before it
/// accepts. The primary creates it and clears the entries of processes that exited; each worker writes only its
/// own entry, with aligned 8-byte stores (its process id and its count; the time its runtime last made progress),
/// and reads the others'.
/// </summary>
/// <remarks>
/// Layout: a 64-byte header whose first 8 bytes say how many entries are in use, then one 64-byte entry (a cache
/// line, so two workers' writes never share one) per index. A worker's index is <see cref="IndexOf"/>: two per
/// slot, by the parity of its generation, so the old and new process of a slot in a rolling restart never share
/// an entry. Entries are advisory: a stale one only makes a worker wait at most one yield before it accepts anyway.
/// </remarks>
public sealed class AcceptLoadBoard : IDisposable
{
    private const int EntryBytes = 64;
    private const int HeaderBytes = 64;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly int _capacity;

    private AcceptLoadBoard(MemoryMappedFile file, int capacity)
    {
        _file = file;
        _capacity = capacity;
        _view = file.CreateViewAccessor(0, SizeFor(capacity), MemoryMappedFileAccess.ReadWrite);
    }

    /// <summary>How many entries a board for <paramref name="maxWorkers"/> slots holds.</summary>
    public static int CapacityFor(int maxWorkers) => 2 * maxWorkers;

    /// <summary>The entry of generation <paramref name="generation"/> of slot <paramref name="workerId"/> (1-based).</summary>
    public static int IndexOf(int workerId, int generation) => (2 * (workerId - 1)) + (generation & 1);

    /// <summary>Creates (or empties) the board at <paramref name="path"/>, readable and writable by this user only.</summary>
    public static AcceptLoadBoard Create(string path, int capacity)
    {
        var size = SizeFor(capacity);
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, create))
        {
            stream.SetLength(0);
            stream.SetLength(size);
        }

        return Open(path);
    }

    /// <summary>Maps the board the primary created at <paramref name="path"/>.</summary>
    public static AcceptLoadBoard Open(string path)
    {
        var capacity = (new FileInfo(path).Length - HeaderBytes) / EntryBytes;
        if (capacity is <= 0 or > int.MaxValue / EntryBytes)
        {
            throw new InvalidDataException($"'{path}' is not an accept load board.");
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.ReadWrite);
        try
        {
            return new AcceptLoadBoard(file, (int)capacity);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>How many entries the primary says are in use (entries above it are never read).</summary>
    public int EntriesInUse
    {
        get => (int)Math.Clamp(_view.ReadInt64(0), 0, _capacity);
        set => _view.Write(0, (long)Math.Clamp(value, 0, _capacity));
    }

    /// <summary>Publishes that process <paramref name="processId"/> at <paramref name="index"/> has <paramref name="connections"/> open.</summary>
    public void Publish(int index, int processId, int connections) =>
        _view.Write(Offset(index), ((long)processId << 32) | (uint)Math.Max(0, connections));

    /// <summary>Records at <paramref name="index"/> that its process made progress at <paramref name="timestamp"/> (a monotonic timestamp).</summary>
    public void Beat(int index, long timestamp) => _view.Write(Offset(index) + sizeof(long), timestamp);

    /// <summary>Clears entry <paramref name="index"/>: its process no longer accepts.</summary>
    public void Withdraw(int index) => _view.Write(Offset(index), 0L);

    /// <summary>
    /// The fewest connections any accepting process other than <paramref name="ownIndex"/>'s has, among those that made
    /// progress at or after <paramref name="aliveSince"/>; <see langword="null"/> when there is none.
    /// </summary>
    public int? FewestConnectionsOfOthers(int ownIndex, long aliveSince)
    {
        int? fewest = null;
        var inUse = EntriesInUse;
        for (var index = 0; index < inUse; index++)
        {
            if (index == ownIndex)
            {
                continue;
            }

            var entry = _view.ReadInt64(Offset(index));
            if (entry == 0 || _view.ReadInt64(Offset(index) + sizeof(long)) < aliveSince)
            {
                continue;
            }

            var connections = (int)(uint)entry;
            if (fewest is not { } least || connections < least)
            {
                fewest = connections;
            }
        }

        return fewest;
    }

    /// <summary>Clears every entry whose process is not in <paramref name="accepting"/>: the primary's cleanup after exits.</summary>
    public void WithdrawAllBut(IReadOnlySet<int> accepting)
    {
        var inUse = EntriesInUse;
        for (var index = 0; index < inUse; index++)
        {
            var entry = _view.ReadInt64(Offset(index));
            if (entry != 0 && !accepting.Contains((int)(entry >> 32)))
            {
                Withdraw(index);
            }
        }
    }

    /// <summary>The process id and connections published at <paramref name="index"/>; (0, 0) when empty.</summary>
    public (int ProcessId, int Connections) Read(int index)
    {
        var entry = _view.ReadInt64(Offset(index));
        return ((int)(entry >> 32), (int)(uint)entry);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }

    private static long SizeFor(int capacity) => HeaderBytes + ((long)capacity * EntryBytes);

    private long Offset(int index) => (uint)index < (uint)_capacity
        ? HeaderBytes + ((long)index * EntryBytes)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"The board has {_capacity} entries.");
}
