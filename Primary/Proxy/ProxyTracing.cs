namespace ClusterTemplate.Primary.Proxy;

/// <summary>
/// Without a trace exporter (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> unset) nobody reads a proxied request's spans, yet
/// every request would still pay for them: ASP.NET Core starts an <see cref="System.Diagnostics.Activity"/> per request
/// whenever its hosting diagnostics logger is enabled at any level (for log scopes), HttpClient then starts a child
/// with tags and writes a <c>traceparent</c> header, and the worker parses it. Together a quarter of the primary's CPU
/// per proxied request (bench/README.md, "The proxy hop"). With an exporter all of it stays, so that a worker's spans
/// join the primary's trace.
/// </summary>
internal static class ProxyTracing
{
    /// <summary>The runtime switch behind HttpClient's activities and trace headers; read once, at the first HttpClient.</summary>
    public const string ActivityPropagationSwitch = "System.Net.Http.EnableActivityPropagation";

    /// <summary>The environment form of <see cref="ActivityPropagationSwitch"/>: an explicit choice that is left alone.</summary>
    public const string ActivityPropagationVariable = "DOTNET_SYSTEM_NET_HTTP_ENABLEACTIVITYPROPAGATION";

    /// <summary>The logger whose being enabled makes ASP.NET Core start an activity for every request.</summary>
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Must run before the first HttpClient is created.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(ActivityPropagationVariable) is null)
        {
            AppContext.SetSwitch(ActivityPropagationSwitch, false);
        }

        // The category logs nothing by default below Warning, and its errors (a failed start) are thrown as well; a
        // level set for it in configuration (to see "Request starting" lines) is left alone.
        if (builder.Configuration[$"Logging:LogLevel:{HostingDiagnosticsCategory}"] is null)
        {
            builder.Logging.AddFilter(HostingDiagnosticsCategory, LogLevel.None);
        }
    }
}
