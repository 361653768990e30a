using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>The package versions of the repository's <c>Directory.Packages.props</c>, <c>$(Property)</c> references resolved.</summary>
internal static partial class CentralPackageVersions
{
    /// <summary>Package id to version, as the repository's projects build with them.</summary>
    public static IReadOnlyDictionary<string, string> Read(string root)
    {
        var props = XDocument.Load(Path.Combine(root, "Directory.Packages.props"));
        var properties = props.Descendants("PropertyGroup").Elements().ToDictionary(property => property.Name.LocalName, property => property.Value.Trim());
        return props.Descendants("PackageVersion").ToDictionary(
            package => (string)package.Attribute("Include")!,
            package => PropertyReference().Replace((string)package.Attribute("Version")!, reference => properties[reference.Groups["name"].Value]),
            StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex PropertyReference();
}
