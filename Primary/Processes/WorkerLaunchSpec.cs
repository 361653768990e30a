namespace ClusterTemplate.Primary.Processes;

/// <summary>What one worker start needs: who it is and the environment the primary hands it.</summary>
/// <param name="WorkerId">The slot number.</param>
/// <param name="Generation">The start count of the slot.</param>
/// <param name="ManagementSocketPath">Where the worker serves its private management endpoint.</param>
/// <param name="Environment">Variables set on the worker process (see <c>ClusterEnvironment</c>).</param>
public sealed record WorkerLaunchSpec(int WorkerId, int Generation, string ManagementSocketPath, IReadOnlyDictionary<string, string> Environment);
