namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>One span as received over OTLP: what the tests look at, nothing more.</summary>
/// <param name="Name">The span's name.</param>
/// <param name="Scope">The name of the instrumentation scope (the <c>ActivitySource</c>) that made it.</param>
/// <param name="Resource">The attributes of the process that exported it (<c>service.name</c>, <c>cluster.worker.id</c>, ...).</param>
internal sealed record OtlpSpan(string Name, string Scope, IReadOnlyDictionary<string, string> Resource)
{
    /// <summary>The dashboard's name for the exporting process: <c>service.name</c>, dash, <c>service.instance.id</c>.</summary>
    public string CompositeResourceName =>
        Resource.TryGetValue("service.instance.id", out var instance)
            ? $"{Resource.GetValueOrDefault("service.name", "")}-{instance}"
            : Resource.GetValueOrDefault("service.name", "");
}
