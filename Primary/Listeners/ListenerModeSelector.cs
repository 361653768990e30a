using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Primary.Listeners;

/// <summary>The listener modes the primary knows, and the one <c>Cluster:Mode</c> chooses.</summary>
internal sealed class ListenerModeSelector(IEnumerable<IListenerMode> modes, IOptions<ClusterOptions> options)
{
    private readonly IListenerMode[] _modes = [.. modes];
    private IListenerMode? _current;

    /// <summary>The mode used when none is set: reuseport where the kernel balances it (Linux), proxy elsewhere.</summary>
    public static string DefaultName => ReusePortListenSocket.IsSupported ? ListenerModeNames.ReusePort : ListenerModeNames.Proxy;

    /// <summary>The names of the known modes, for error messages: "reuseport, shared or proxy".</summary>
    public string AcceptedValues => _modes.Length == 1
        ? _modes[0].Name
        : string.Join(", ", _modes[..^1].Select(mode => mode.Name)) + " or " + _modes[^1].Name;

    /// <summary>The configured mode; settings validation has made sure it exists.</summary>
    public IListenerMode Current => _current ??= Find(options.Value.Mode)
        ?? throw new InvalidOperationException($"Cluster:Mode must be {AcceptedValues}.");

    /// <summary>The mode a setting names; <see langword="null"/> or empty means <see cref="DefaultName"/>.</summary>
    public IListenerMode? Find(string? configured)
    {
        var name = ResolveName(configured);
        return _modes.FirstOrDefault(mode => mode.Name == name);
    }

    /// <summary>The name a setting stands for, before any host exists: trimmed, lower case, or the default.</summary>
    public static string ResolveName(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? DefaultName : configured.Trim().ToLowerInvariant();
}
