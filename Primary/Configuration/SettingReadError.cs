namespace ClusterTemplate.Primary.Configuration;

/// <summary>A setting that could not be read from configuration, and its one-line error.</summary>
/// <param name="Setting">The setting's path as configured, <c>Cluster:Workers</c>.</param>
/// <param name="Message">"Cluster:Workers must be a whole number in 1..256 (got 'many')."</param>
internal sealed record SettingReadError(string Setting, string Message);
