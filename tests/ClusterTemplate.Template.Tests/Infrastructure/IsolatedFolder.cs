using System.Security;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// A folder outside the repository set up the way a user's own solution is: none of the repository's build settings
/// and a <c>NuGet.config</c> of its own, with the feed the test packed into and nuget.org.
/// </summary>
internal static class IsolatedFolder
{
    /// <summary>Writes the empty <c>Directory.*</c> files and the <c>NuGet.config</c> into <paramref name="directory"/>.</summary>
    public static void Prepare(string directory, string feed)
    {
        Directory.CreateDirectory(directory);

        // Nothing of a folder above (there should be none in the temp folder) may set the build up.
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(directory, name), "<Project />\n");
        }

        File.WriteAllText(Path.Combine(directory, "NuGet.config"), NuGetConfig(feed));
    }

    /// <summary>
    /// The feed and nuget.org. Packages that the machine's package folder lacks (the ones the test packed) restore
    /// into a folder of this one's own; the rest are taken from the machine's, without a download.
    /// </summary>
    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="packages" />
          </config>
          <fallbackPackageFolders>
            <clear />
            <add key="machine" value="{SecurityElement.Escape(MachinePackagesFolder)}" />
          </fallbackPackageFolders>
          <packageSources>
            <clear />
            <add key="local" value="{SecurityElement.Escape(feed)}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
        </configuration>

        """;

    private static string MachinePackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
