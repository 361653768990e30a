namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The worker the process tests run: the Worker project's build output, unless <c>CLUSTER_TEST_WORKER</c> names another
/// program (CI points it at the Native AOT worker, <c>.ci/run</c>). Tests that choose their own worker are not affected.
/// </summary>
internal static class TestWorker
{
    public const string EnvironmentVariable = "CLUSTER_TEST_WORKER";

    /// <summary>The program <c>CLUSTER_TEST_WORKER</c> names, as a full path; <see langword="null"/> when it is not set.</summary>
    public static string? Override =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;
}
