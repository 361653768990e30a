using System.Globalization;
using ClusterTemplate.ServiceDefaults.Cluster;

namespace ClusterTemplate.Shared.Control;

/// <summary>
/// Where a primary's control socket is: <see cref="FileName"/> in the primary's runtime folder. By
/// default that folder is named after the public port, which only one cluster can hold, so a client
/// finds a primary by its port.
/// </summary>
public static class ControlSocket
{
    /// <summary>The control socket's file name inside the runtime folder.</summary>
    public const string FileName = "control.sock";

    private const string Prefix = "clustertemplate-";
    private const string RootRuntimeFolder = "/run";

    /// <summary>
    /// The runtime folder a primary on <paramref name="port"/> uses when none is configured, private to its user:
    /// <c>$XDG_RUNTIME_DIR/clustertemplate-&lt;port&gt;</c> if that is set; else for root
    /// <c>/run/clustertemplate-&lt;port&gt;</c>; else <c>clustertemplate-&lt;uid&gt;/&lt;port&gt;</c> in the temp folder
    /// (the primary makes both folders 0700). Never a name another user could claim first in a shared folder.
    /// </summary>
    public static string DefaultRuntimeDirectory(int port) =>
        OperatingSystem.IsWindows()
            ? Path.Combine(Path.GetTempPath(), Prefix + Format(port)) // a per-user folder on Windows
            : DefaultRuntimeDirectory(port, Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), UnixUser.EffectiveId, Path.GetTempPath(), Directory.Exists(RootRuntimeFolder));

    /// <summary>The control socket's path in <paramref name="runtimeDirectory"/>.</summary>
    public static string PathIn(string runtimeDirectory) => Path.Combine(runtimeDirectory, FileName);

    /// <summary>The rule of <see cref="DefaultRuntimeDirectory(int)"/>, given what it reads from the machine.</summary>
    internal static string DefaultRuntimeDirectory(int port, string? xdgRuntimeDirectory, uint userId, string tempFolder, bool hasRunFolder)
    {
        if (xdgRuntimeDirectory is { Length: > 0 } && Path.IsPathRooted(xdgRuntimeDirectory) && Directory.Exists(xdgRuntimeDirectory))
        {
            return Path.Combine(xdgRuntimeDirectory, Prefix + Format(port));
        }

        if (userId == 0 && hasRunFolder)
        {
            return Path.Combine(RootRuntimeFolder, Prefix + Format(port));
        }

        return Path.Combine(tempFolder, Prefix + userId.ToString(CultureInfo.InvariantCulture), Format(port));
    }

    private static string Format(int port) => port.ToString(CultureInfo.InvariantCulture);
}
