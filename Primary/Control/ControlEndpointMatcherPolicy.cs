using Microsoft.AspNetCore.Routing.Matching;

namespace ClusterTemplate.Primary.Control;

/// <summary>Marks an endpoint as part of the control API.</summary>
internal sealed class ControlEndpointMetadata
{
    public static readonly ControlEndpointMetadata Instance = new();
}

/// <summary>
/// Splits routing by listener: requests from the control socket match only control endpoints, and
/// public requests never do (in proxy mode they all go to YARP's catch-all route, whatever the path).
/// </summary>
internal sealed class ControlEndpointMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<ControlEndpointMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var isControl = ControlConnectionFeature.IsControl(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            var isControlEndpoint = candidates[i].Endpoint.Metadata.GetMetadata<ControlEndpointMetadata>() is not null;
            if (isControl != isControlEndpoint)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
