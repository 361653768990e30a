using System;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterTemplate.ServiceDefaults.Cluster.Listeners;

/// <summary>
/// The address the public port is bound on (<c>Cluster:Address</c>): every interface (unset or <c>*</c>, IPv6 and IPv4
/// where the machine has IPv6), or one IP address: <c>127.0.0.1</c> behind a local reverse proxy, <c>::1</c>, <c>::</c> for
/// IPv6 (and IPv4-mapped), or the address of one interface.
/// </summary>
public static class PublicAddress
{
    /// <summary>What <c>Cluster:Address</c> accepts, as its error says it.</summary>
    public const string AcceptedValues = "an IP address such as 127.0.0.1 or ::1, or * for every interface";

    /// <summary>Whether <paramref name="configured"/> means every interface.</summary>
    public static bool IsAny(string? configured) => string.IsNullOrWhiteSpace(configured) || configured.Trim() is "*" or "+";

    /// <summary>Whether <c>Cluster:Address</c> holds something it can bind.</summary>
    public static bool IsValid(string? configured) => IsAny(configured) || TryParse(configured!, out _);

    /// <summary>The endpoint to bind: the IPv6 wildcard (dual-mode) or IPv4's for every interface, else the address given.</summary>
    public static IPEndPoint EndPoint(string? configured, int port) =>
        IsAny(configured)
            ? new IPEndPoint(System.Net.Sockets.Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port)
            : new IPEndPoint(TryParse(configured!, out var address) ? address : throw new FormatException($"Cluster:Address must be {AcceptedValues} (got '{configured}')."), port);

    /// <summary>Declares the public endpoint to Kestrel.</summary>
    public static void Listen(KestrelServerOptions kestrel, string? configured, int port, Action<ListenOptions> configure)
    {
        if (IsAny(configured))
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(EndPoint(configured, port), configure);
        }
    }

    private static bool TryParse(string configured, out IPAddress address) =>
        IPAddress.TryParse(configured.Trim().Trim('[', ']'), out address!);
}
