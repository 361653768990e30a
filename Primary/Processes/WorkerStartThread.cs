using System.Collections.Concurrent;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// The one thread that starts every worker process, alive as long as the primary. On Linux a worker asks
/// the kernel for SIGKILL when its parent dies (PR_SET_PDEATHSIG), and to the kernel the parent is the
/// thread that forked it: workers started from thread-pool threads were killed about 30 s later, when
/// those threads retired.
/// </summary>
internal sealed class WorkerStartThread : IDisposable
{
    private readonly BlockingCollection<Action> _starts = [];

    public WorkerStartThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var start in _starts.GetConsumingEnumerable())
            {
                start();
            }
        })
        {
            IsBackground = true,
            Name = "Cluster worker starter",
        };
        thread.Start();
    }

    /// <summary>Runs <paramref name="start"/> on the start thread and returns its result, or throws its exception.</summary>
    public T Run<T>(Func<T> start)
    {
        var result = new TaskCompletionSource<T>();
        _starts.Add(() =>
        {
            try
            {
                result.SetResult(start());
            }
            catch (Exception exception)
            {
                result.SetException(exception);
            }
        });
        return result.Task.GetAwaiter().GetResult();
    }

    /// <summary>Ends the thread once it is idle: the primary has stopped its workers.</summary>
    public void Dispose() => _starts.CompleteAdding();
}
