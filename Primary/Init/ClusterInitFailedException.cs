namespace ClusterTemplate.Primary.Init;

/// <summary>The init run before the workers' start failed: the primary exits, no worker started.</summary>
internal sealed class ClusterInitFailedException(ClusterInitResult result) : Exception(result.Describe("no worker was started"))
{
    /// <summary>How the init ended.</summary>
    public ClusterInitResult Result { get; } = result;

    /// <summary>The init failure among what a failed host start threw, if any.</summary>
    public static ClusterInitFailedException? Find(Exception exception) => exception switch
    {
        ClusterInitFailedException failed => failed,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null),
        _ => exception.InnerException is { } inner ? Find(inner) : null,
    };
}
