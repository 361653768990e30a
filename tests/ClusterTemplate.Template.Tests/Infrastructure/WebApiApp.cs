namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// An app made with <c>dotnet new webapi</c> (the SDK's template, nothing of this repository) in a folder of its own:
/// the app a user brings to the cluster.
/// </summary>
internal sealed class WebApiApp(string directory, string name)
{
    /// <summary>The line of the template's <c>Program.cs</c> after which the worker's one call goes.</summary>
    public const string BuilderLine = "var builder = WebApplication.CreateBuilder(args);";

    /// <summary>The app's folder: its project file, <c>Program.cs</c> and <c>bin/</c>.</summary>
    public string ProjectFolder => Path.Combine(directory, name);

    public string ProjectPath => Path.Combine(ProjectFolder, name + ".csproj");

    public string ProgramPath => Path.Combine(ProjectFolder, "Program.cs");

    /// <summary>The app's assembly after a Debug build: what <c>--worker-path</c> points at.</summary>
    public string Assembly => Path.Combine(ProjectFolder, "bin", "Debug", "net10.0", name + ".dll");

    /// <summary><c>dotnet new webapi -n &lt;name&gt; -o &lt;folder&gt; --no-restore</c>.</summary>
    public Task<CommandResult> CreateAsync(TemplateHive hive) =>
        hive.NewFromAsync("webapi", "-n", name, "-o", ProjectFolder, "--no-restore");

    /// <summary><c>dotnet add package &lt;id&gt; --version &lt;version&gt;</c>, restoring through the folder's <c>NuGet.config</c>.</summary>
    public Task<CommandResult> AddPackageAsync(string id, string version) =>
        DotnetCli.RunAsync(["add", ProjectPath, "package", id, "--version", version], ProjectFolder, Budgets.Build);

    /// <summary>Puts <paramref name="line"/> right after <see cref="BuilderLine"/> in <c>Program.cs</c>.</summary>
    public void AddAfterBuilder(string line)
    {
        var program = File.ReadAllText(ProgramPath);
        Assert.Contains(BuilderLine, program, StringComparison.Ordinal);
        File.WriteAllText(ProgramPath, program.Replace(BuilderLine, BuilderLine + Environment.NewLine + line, StringComparison.Ordinal));
    }

    /// <summary><c>dotnet build</c> of the app, one node, no servers left behind.</summary>
    public Task<CommandResult> BuildAsync() =>
        DotnetCli.RunAsync(
            ["build", ProjectPath, "-m:1", "-nodeReuse:false", "--disable-build-servers", "-nologo", "-clp:ErrorsOnly;Summary"],
            ProjectFolder,
            Budgets.Build);
}
