
namespace ClusterTemplate.Primary.Configuration;

/// <summary>The YARP load-balancing policies <c>Cluster:LoadBalancing</c> accepts.</summary>
public static class LoadBalancingPolicies
{
    private static readonly string[] s_known =
    [
        Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.PowerOfTwoChoices,
        Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.LeastRequests,
        Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.RoundRobin,
        Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.Random,
        Yarp.ReverseProxy.LoadBalancing.LoadBalancingPolicies.FirstAlphabetical,
    ];

    /// <summary>The accepted values, for error messages.</summary>
    public static string AcceptedValues => string.Join(", ", s_known);

    /// <summary>Whether <paramref name="policy"/> names a known policy (case-insensitive).</summary>
    public static bool IsKnown(string? policy) => s_known.Contains(policy, StringComparer.OrdinalIgnoreCase);

    /// <summary>The policy's canonical spelling.</summary>
    public static string Canonical(string policy) => s_known.First(known => string.Equals(known, policy, StringComparison.OrdinalIgnoreCase));
}
