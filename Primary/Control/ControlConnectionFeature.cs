namespace ClusterTemplate.Primary.Control;

/// <summary>Marks connections accepted on the control socket: only they reach the control API.</summary>
internal sealed class ControlConnectionFeature
{
    public static readonly ControlConnectionFeature Instance = new();

    private ControlConnectionFeature()
    {
    }

    /// <summary>Whether the request came in over the control socket.</summary>
    public static bool IsControl(HttpContext context) => context.Features.Get<ControlConnectionFeature>() is not null;
}
