namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// A throw-away <c>dotnet new</c> settings folder (<c>--debug:custom-hive</c>): installs made here are
/// invisible to the user's own templates and vanish with the folder.
/// </summary>
internal sealed class TemplateHive : IDisposable
{
    /// <summary>The template's short name, as in <c>.template.config/template.json</c>.</summary>
    public const string ShortName = "clustertemplate";

    private readonly TempDirectory _folder = new("hive");

    public string Path => _folder.Path;

    /// <summary><c>dotnet new install &lt;folder or nupkg&gt;</c>.</summary>
    public Task<CommandResult> InstallAsync(string source) =>
        RunAsync(["new", "install", source]);

    /// <summary><c>dotnet new uninstall &lt;folder or package id&gt;</c>.</summary>
    public Task<CommandResult> UninstallAsync(string source) =>
        RunAsync(["new", "uninstall", source]);

    /// <summary>What <c>dotnet new list &lt;name&gt;</c> exits with when no such template is installed (aka.ms/templating-exit-codes#103).</summary>
    public const int TemplateNotFoundExitCode = 103;

    /// <summary><c>dotnet new list</c> restricted to this template.</summary>
    public Task<CommandResult> ListAsync() =>
        RunAsync(["new", "list", ShortName]);

    /// <summary><c>dotnet new clustertemplate &lt;arguments&gt;</c>.</summary>
    public Task<CommandResult> NewAsync(params string[] arguments) =>
        RunAsync(["new", ShortName, .. arguments]);

    /// <summary><c>dotnet new &lt;short name&gt; &lt;arguments&gt;</c> for any template this hive sees, the SDK's own (<c>webapi</c>) included.</summary>
    public Task<CommandResult> NewFromAsync(string shortName, params string[] arguments) =>
        RunAsync(["new", shortName, .. arguments]);

    public void Dispose() => _folder.Dispose();

    private Task<CommandResult> RunAsync(string[] arguments) =>
        DotnetCli.RunAsync([.. arguments, "--debug:custom-hive", Path], System.IO.Path.GetTempPath(), Budgets.TemplateCommand);
}
