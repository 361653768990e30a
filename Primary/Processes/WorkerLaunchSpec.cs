namespace ClusterTemplate.Primary.Processes;

/// <summary>What one worker start needs: who it is and the environment the primary hands it.</summary>
/// <param name="WorkerId">The slot number; <see cref="InitWorkerId"/> for the init run.</param>
/// <param name="Generation">The start count of the slot.</param>
/// <param name="ManagementSocketPath">Where the worker serves its private management endpoint.</param>
/// <param name="Environment">Variables set on the worker process (see <c>ClusterEnvironment</c>).</param>
public sealed record WorkerLaunchSpec(int WorkerId, int Generation, string ManagementSocketPath, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The worker id of the init run (<c>Cluster:Init</c>), which fills no slot; its lines are prefixed <c>[init pid P]</c>.</summary>
    public const int InitWorkerId = 0;

    /// <summary>The launch of the init run, with its environment.</summary>
    public static WorkerLaunchSpec Init(IReadOnlyDictionary<string, string> environment) => new(InitWorkerId, 1, "", environment);
}
