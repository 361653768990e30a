namespace ClusterTemplate.Primary.Processes;

/// <summary>How to start the worker program: a file to execute and the arguments that come first.</summary>
/// <param name="FileName">The executable: the Worker's app host, or the <c>dotnet</c> host for a <c>.dll</c>.</param>
/// <param name="Arguments">Arguments before the worker's own (the <c>.dll</c> path when run through <c>dotnet</c>).</param>
/// <param name="ContentRoot">The worker program's folder: where its <c>appsettings.json</c> and <c>wwwroot</c> are.</param>
public sealed record WorkerProgram(string FileName, IReadOnlyList<string> Arguments, string ContentRoot);
