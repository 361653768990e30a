using System.Globalization;
using System.Text.RegularExpressions;
using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Primary.Proxy;

/// <summary>
/// Where the proxy reaches each worker process: its Unix domain socket in the runtime folder, under a host name
/// (<c>worker-ID-GENERATION</c>) that <see cref="WorkerSocketHttpClientFactory"/> turns back into the path.
/// The 0700 folder keeps every other user out, where a loopback port lets any local process send a worker requests
/// past the proxy (and its <c>X-Forwarded-*</c> headers); measured neither faster nor slower than loopback TCP
/// (bench/README.md, "The proxy hop").
/// </summary>
internal sealed partial class WorkerSockets(IServiceProvider services)
{
    /// <summary>
    /// Whether workers listen on sockets. Windows keeps loopback TCP: its AF_UNIX support is younger and not
    /// covered by the tests.
    /// </summary>
    public static bool Enabled => !OperatingSystem.IsWindows();

    // Resolved on first use, when workers start: the folder is made and locked only when the cluster runs.
    private ClusterRuntimeDirectory RuntimeDirectory => services.GetRequiredService<ClusterRuntimeDirectory>();

    /// <summary>The socket of one worker process.</summary>
    public string PathOf(int workerId, int generation) => RuntimeDirectory.ProxySocketPath(workerId, generation);

    /// <summary>The destination address of one worker process, for YARP.</summary>
    public static string Address(int workerId, int generation) =>
        string.Create(CultureInfo.InvariantCulture, $"http://worker-{workerId}-{generation}");

    /// <summary>The socket behind a destination's host name; <see langword="null"/> when the name is not one of <see cref="Address"/>'s.</summary>
    public string? PathOf(string host) =>
        HostName().Match(host) is { Success: true } match
        && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var workerId)
        && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            ? PathOf(workerId, generation)
            : null;

    [GeneratedRegex(@"^worker-([0-9]+)-([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
