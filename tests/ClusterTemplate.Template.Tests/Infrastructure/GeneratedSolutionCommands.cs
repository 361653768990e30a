namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>The <c>dotnet</c> commands a user runs on a generated solution.</summary>
internal static class GeneratedSolutionCommands
{
    /// <summary>The trait filter of the generated solution's fast unit tests.</summary>
    public const string UnitTestFilter = "Category=Unit";

    /// <summary><c>dotnet build</c> of the solution, one node, no servers left behind.</summary>
    public static Task<CommandResult> BuildAsync(GeneratedSolution solution, bool restore) =>
        DotnetCli.RunAsync(
            ["build", solution.SolutionPath, "-m:1", "-nodeReuse:false", "--disable-build-servers", "-nologo", "-clp:ErrorsOnly;Summary", .. restore ? Array.Empty<string>() : ["--no-restore"]],
            solution.Directory,
            Budgets.Build);

    /// <summary><c>dotnet test --filter Category=Unit</c> on the built solution.</summary>
    public static Task<CommandResult> TestUnitAsync(GeneratedSolution solution) =>
        DotnetCli.RunAsync(
            ["test", solution.SolutionPath, "--no-build", "--filter", UnitTestFilter, "-nologo"],
            solution.Directory,
            Budgets.Test);

    /// <summary>
    /// <c>dotnet pack</c> of the template package project into <paramref name="outputDirectory"/>, which packs the
    /// hosting library next to it; with <paramref name="version"/>, both packages get that version.
    /// </summary>
    public static Task<CommandResult> PackTemplateAsync(string outputDirectory, string? version = null) =>
        DotnetCli.RunAsync(
            ["pack", Repository.PackageProject, "-o", outputDirectory, "-nodeReuse:false", "--disable-build-servers", "-nologo", .. version is null ? Array.Empty<string>() : ["-p:Version=" + version]],
            Repository.Root,
            Budgets.Pack);
}
