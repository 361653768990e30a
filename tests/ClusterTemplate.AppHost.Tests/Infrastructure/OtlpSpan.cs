namespace ClusterTemplate.AppHost.Tests.Infrastructure;

/// <summary>One span as received over OTLP: what the tests look at, nothing more.</summary>
/// <param name="Name">The span's name.</param>
/// <param name="Scope">The name of the instrumentation scope (the <c>ActivitySource</c>) that made it.</param>
/// <param name="Resource">The attributes of the process that exported it (<c>service.name</c>, <c>cluster.worker.id</c>, ...).</param>
internal sealed record OtlpSpan(string Name, string Scope, IReadOnlyDictionary<string, string> Resource)
{
    /// <summary>The trace the span belongs to, in lowercase hex.</summary>
    public string TraceId { get; init; } = "";

    /// <summary>The span's own id, in lowercase hex.</summary>
    public string SpanId { get; init; } = "";

    /// <summary>The id of its parent span, in lowercase hex; empty for the root of a trace.</summary>
    public string ParentSpanId { get; init; } = "";

    /// <summary>When the span started, in nanoseconds since the Unix epoch.</summary>
    public ulong StartTimeUnixNano { get; init; }

    /// <summary>When the span ended, in nanoseconds since the Unix epoch.</summary>
    public ulong EndTimeUnixNano { get; init; }

    /// <summary>The span's own attributes (tags).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>The spans this one links to (span links, not parents).</summary>
    public IReadOnlyList<OtlpLink> Links { get; init; } = [];

    /// <summary>Whether the span starts a trace of its own.</summary>
    public bool IsRoot => ParentSpanId.Length == 0;

    /// <summary>The dashboard's name for the exporting process: <c>service.name</c>, dash, <c>service.instance.id</c>.</summary>
    public string CompositeResourceName =>
        Resource.TryGetValue("service.instance.id", out var instance)
            ? $"{Resource.GetValueOrDefault("service.name", "")}-{instance}"
            : Resource.GetValueOrDefault("service.name", "");

    /// <summary>Whether this span links to <paramref name="other"/>.</summary>
    public bool LinksTo(OtlpSpan other) => Links.Any(link => link.TraceId == other.TraceId && link.SpanId == other.SpanId);

    /// <summary>Whether this span is a child of <paramref name="parent"/>.</summary>
    public bool IsChildOf(OtlpSpan parent) => TraceId == parent.TraceId && ParentSpanId == parent.SpanId;
}

/// <summary>A span link as received over OTLP.</summary>
/// <param name="TraceId">The linked span's trace, in lowercase hex.</param>
/// <param name="SpanId">The linked span, in lowercase hex.</param>
internal sealed record OtlpLink(string TraceId, string SpanId);
