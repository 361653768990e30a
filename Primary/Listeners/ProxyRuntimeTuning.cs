using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>
/// In proxy mode the primary forwards every request, and its socket continuations are short and never
/// block (Kestrel, YARP, HttpClient): running them inline on the epoll thread instead of queueing them to
/// the thread pool saves a hand-off per read and write (measured in bench/README.md). Workers never
/// inherit it: app code may block, and would then stall every connection on the epoll thread.
/// It is not part of <see cref="ProxyMode"/> because it must be set before the host, and its first socket, exist.
/// </summary>
internal static class ProxyRuntimeTuning
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Must run before the first socket is created: the runtime reads the variable once.</summary>
    public static void Apply(string[] args)
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is not null || !IsProxyMode(args))
        {
            return;
        }

        Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
    }

    private static bool IsProxyMode(string[] args)
    {
        // The host is not built yet: read the mode the way it will.
        return ListenerModeSelector.ResolveName(ClusterCommandLine.ReadSettings(args)["Cluster:Mode"]) == ListenerModeNames.Proxy;
    }
}
