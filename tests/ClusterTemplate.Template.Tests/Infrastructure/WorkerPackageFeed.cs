using System.Globalization;
using System.Xml.Linq;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// The repository packed once by <c>pack/</c> into a temporary feed, with a version of this run's own so that no
/// package of the same id left in a package folder by an earlier build stands in for it.
/// </summary>
public sealed class WorkerPackageFeed : IAsyncLifetime
{
    /// <summary>The version every package of this feed has: pack/'s own, marked as this run's.</summary>
    public string Version { get; } = string.Create(
        CultureInfo.InvariantCulture, $"{XDocument.Load(Repository.PackageProject).Descendants("Version").Single().Value}-test.{DateTime.UtcNow:yyyyMMddHHmmss}");

    // After Version: a fixture whose initialization throws is never disposed, so the folder is made last.
    private readonly TempDirectory _folder = new("feed");

    /// <summary>The feed folder: the template, hosting and worker packages side by side.</summary>
    public string Folder => _folder.Path;

    /// <summary>The worker package, where <c>pack/</c> should have put it.</summary>
    public string ServiceDefaultsPackage => Path.Combine(Folder, $"{Repository.ServiceDefaultsPackageId}.{Version}.nupkg");

    /// <summary>What <c>dotnet pack pack/ClusterTemplate.Templates.csproj</c> did.</summary>
    internal CommandResult Pack { get; private set; } = null!;

    public async Task InitializeAsync() => Pack = await GeneratedSolutionCommands.PackTemplateAsync(Folder, Version);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
