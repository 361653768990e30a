namespace ClusterTemplate.Primary.Processes;

/// <summary>Starts worker processes. The supervisor depends only on this, so its policies can be tested without processes.</summary>
public interface IWorkerLauncher
{
    /// <summary>Starts one worker process; throws (a <c>Win32Exception</c>, say) when the program cannot be started.</summary>
    IWorkerProcess Start(WorkerLaunchSpec spec);
}
