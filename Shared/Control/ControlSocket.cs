using System.Globalization;

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

    /// <summary>
    /// The runtime folder a primary on <paramref name="port"/> uses when none is configured:
    /// <c>clustertemplate-&lt;port&gt;</c> in <c>$XDG_RUNTIME_DIR</c> if that exists, else in the temp folder.
    /// </summary>
    public static string DefaultRuntimeDirectory(int port)
    {
        var root = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(runtime)
            ? runtime
            : Path.GetTempPath();
        return Path.Combine(root, "clustertemplate-" + port.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The control socket's path in <paramref name="runtimeDirectory"/>.</summary>
    public static string PathIn(string runtimeDirectory) => Path.Combine(runtimeDirectory, FileName);
}
