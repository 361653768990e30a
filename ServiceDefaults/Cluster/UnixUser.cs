using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>The user this process runs as, and who it trusts on its Unix sockets: itself and root.</summary>
public static class UnixUser
{
    /// <summary>The effective user id of this process.</summary>
    [UnsupportedOSPlatform("windows")]
    public static uint EffectiveId => geteuid();

    /// <summary>Whether a peer running as <paramref name="userId"/> may talk to this process: the same user, or root.</summary>
    [UnsupportedOSPlatform("windows")]
    public static bool IsSelfOrRoot(uint userId) => userId == 0 || userId == EffectiveId;

    [DllImport("libc")]
#pragma warning disable SYSLIB1054 // A single blittable call; DllImport keeps AllowUnsafeBlocks off.
    private static extern uint geteuid();
#pragma warning restore SYSLIB1054
}
