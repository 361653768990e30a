namespace ClusterTemplate.Tests.Cluster;

/// <summary>A fact that needs root (it acts as another user); skipped otherwise.</summary>
internal sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OtherUser.IsAvailable)
        {
            Skip = "Needs root on Linux with setpriv: it acts as another local user.";
        }
    }
}

/// <summary>A theory that needs root (it acts as another user); skipped otherwise.</summary>
internal sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!OtherUser.IsAvailable)
        {
            Skip = "Needs root on Linux with setpriv: it acts as another local user.";
        }
    }
}
