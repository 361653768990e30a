namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// An Aspire AppHost that is not from this repository, as a user already has one: a folder of its own, its own
/// <c>NuGet.config</c>, none of the repository's build settings, and the lines it is told to add.
/// </summary>
internal sealed class ExistingAppHost(string directory)
{
    /// <summary>The AppHost's project file.</summary>
    public string ProjectPath => Path.Combine(directory, "AppHost", "AppHost.csproj");

    /// <summary>The AppHost's build output folder after a Debug build.</summary>
    public string OutputFolder => Path.Combine(directory, "AppHost", "bin", "Debug", "net10.0");

    /// <summary>
    /// Writes the AppHost: <paramref name="sdk"/> (<c>Aspire.AppHost.Sdk/&lt;version&gt;</c>), <c>Aspire.Hosting.AppHost</c>
    /// <paramref name="aspireVersion"/>, the <paramref name="projectLines"/> in its project file and <paramref name="programLine"/>
    /// in its <c>Program.cs</c>. Packages come from <paramref name="feed"/> and nuget.org.
    /// </summary>
    public void Write(string feed, string sdk, string aspireVersion, IEnumerable<string> projectLines, string programLine)
    {
        IsolatedFolder.Prepare(directory, feed);
        Directory.CreateDirectory(Path.GetDirectoryName(ProjectPath)!);
        File.WriteAllText(ProjectPath, $"""
            <Project Sdk="{sdk}">

              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <AspireUseCliBundle>false</AspireUseCliBundle>
                <NoWarn>$(NoWarn);ASPIRE010</NoWarn>
              </PropertyGroup>

              <ItemGroup>
                <PackageReference Include="Aspire.Hosting.AppHost" Version="{aspireVersion}" />
                {string.Join(Environment.NewLine + "    ", projectLines)}
              </ItemGroup>

            </Project>

            """);
        File.WriteAllText(Path.Combine(directory, "AppHost", "Program.cs"), $"""
            var builder = DistributedApplication.CreateBuilder(args);

            {programLine}

            builder.Build().Run();

            """);
    }

    /// <summary><c>dotnet build</c> of the AppHost (restore included), one node, no servers left behind.</summary>
    public Task<CommandResult> BuildAsync() =>
        DotnetCli.RunAsync(
            ["build", ProjectPath, "-m:1", "-nodeReuse:false", "--disable-build-servers", "-nologo", "-clp:ErrorsOnly;Summary"],
            directory,
            Budgets.Build);
}
