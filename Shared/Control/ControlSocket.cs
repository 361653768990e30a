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
    public static string DefaultRuntimeDirectory(int port)
    {
        var (parent, prefix) = DefaultRuntimeParent();
        return Path.Combine(parent, prefix + Format(port));
    }

    /// <summary>The control socket's path in <paramref name="runtimeDirectory"/>.</summary>
    public static string PathIn(string runtimeDirectory) => Path.Combine(runtimeDirectory, FileName);

    /// <summary>
    /// The control sockets in this user's default runtime folders (<see cref="DefaultRuntimeDirectory(int)"/>), with
    /// the port each folder is named after, lowest port first: the primaries of this user that run, or ran and left a
    /// socket behind, without a configured runtime folder.
    /// </summary>
    public static IReadOnlyList<(int Port, string Path)> InDefaultRuntimeDirectories()
    {
        var (parent, prefix) = DefaultRuntimeParent();
        return InDefaultRuntimeDirectories(parent, prefix);
    }

    /// <summary>The rule of <see cref="DefaultRuntimeDirectory(int)"/>, given what it reads from the machine.</summary>
    internal static string DefaultRuntimeDirectory(int port, string? xdgRuntimeDirectory, uint userId, string tempFolder, bool hasRunFolder)
    {
        var (parent, prefix) = DefaultRuntimeParent(xdgRuntimeDirectory, userId, tempFolder, hasRunFolder);
        return Path.Combine(parent, prefix + Format(port));
    }

    /// <summary>The sockets of <see cref="InDefaultRuntimeDirectories()"/> among the folders <c>&lt;parent&gt;/&lt;prefix&gt;&lt;port&gt;</c>.</summary>
    internal static IReadOnlyList<(int Port, string Path)> InDefaultRuntimeDirectories(string parent, string prefix)
    {
        var sockets = new List<(int Port, string Path)>();
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(parent, prefix + "*"))
            {
                var socket = PathIn(folder);
                if (int.TryParse(Path.GetFileName(folder).AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                    && port is >= 1 and <= 65535
                    && File.Exists(socket))
                {
                    sockets.Add((port, socket));
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // No such folder, or not this user's: no primary of this user there.
        }

        return [.. sockets.OrderBy(entry => entry.Port)];
    }

    /// <summary>The folder that holds the default runtime folders, and how their names start before the port.</summary>
    private static (string Parent, string Prefix) DefaultRuntimeParent() =>
        OperatingSystem.IsWindows()
            ? (Path.GetTempPath(), Prefix) // a per-user folder on Windows
            : DefaultRuntimeParent(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), UnixUser.EffectiveId, Path.GetTempPath(), Directory.Exists(RootRuntimeFolder));

    private static (string Parent, string Prefix) DefaultRuntimeParent(string? xdgRuntimeDirectory, uint userId, string tempFolder, bool hasRunFolder)
    {
        if (xdgRuntimeDirectory is { Length: > 0 } && Path.IsPathRooted(xdgRuntimeDirectory) && Directory.Exists(xdgRuntimeDirectory))
        {
            return (xdgRuntimeDirectory, Prefix);
        }

        if (userId == 0 && hasRunFolder)
        {
            return (RootRuntimeFolder, Prefix);
        }

        return (Path.Combine(tempFolder, Prefix + userId.ToString(CultureInfo.InvariantCulture)), "");
    }

    private static string Format(int port) => port.ToString(CultureInfo.InvariantCulture);
}
