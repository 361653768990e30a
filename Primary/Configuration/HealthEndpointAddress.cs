using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterTemplate.Primary.Configuration;

/// <summary>
/// <c>Cluster:HealthEndpoint</c> read: the TCP address of the primary's probes, <c>http://127.0.0.1:8081</c> or
/// <c>http://*:8081</c>. Plain HTTP on an explicit port, with no path: the probes' paths are fixed.
/// </summary>
/// <param name="Host">What the address names: an IP address, <c>localhost</c>, or <c>*</c> for every address.</param>
/// <param name="Port">The port, 1..65535.</param>
internal sealed partial record HealthEndpointAddress(string Host, int Port)
{
    /// <summary>What the setting accepts, as its error says it.</summary>
    public const string AcceptedValues =
        "an http:// address with an IP address, localhost or * and a port other than Cluster:Port, and no path, such as http://127.0.0.1:8081 or http://*:8081";

    /// <summary>Reads <paramref name="value"/>; <see langword="null"/> when it is not such an address.</summary>
    public static HealthEndpointAddress? Parse(string? value)
    {
        if (value is null || Pattern().Match(value.Trim()) is not { Success: true } match
            || !int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        var host = match.Groups["host"].Value;
        return host is "*" or "+" || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Trim('[', ']'), out _)
            ? new(host is "+" ? "*" : host, port)
            : null;
    }

    /// <summary>Unset (no TCP probes), or an address that is not the public port.</summary>
    public static bool IsValid(string? value, int publicPort) =>
        string.IsNullOrWhiteSpace(value) || Parse(value) is { } address && address.Port != publicPort;

    /// <summary>Adds the listener to the primary's Kestrel.</summary>
    public void Listen(KestrelServerOptions kestrel, Action<ListenOptions> configure)
    {
        if (Host == "*")
        {
            kestrel.ListenAnyIP(Port, configure);
        }
        else if (Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(Port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(Host.Trim('[', ']')), Port, configure);
        }
    }

    [GeneratedRegex(@"^http://(?<host>\*|\+|\[[0-9A-Fa-f:.]+\]|[^:/\[\]?#]+):(?<port>[0-9]{1,5})/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
