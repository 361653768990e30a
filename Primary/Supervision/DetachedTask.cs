namespace ClusterTemplate.Primary.Supervision;

/// <summary>Starts long-lived supervision loops.</summary>
internal static class DetachedTask
{
    /// <summary>
    /// Runs a long-lived loop without the caller's execution context, so the span of whatever operation
    /// started it (a scale, a rollout) does not become the parent of every span the loop makes later.
    /// </summary>
    public static Task Run(Func<Task> loop)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(loop);
        }
    }
}
