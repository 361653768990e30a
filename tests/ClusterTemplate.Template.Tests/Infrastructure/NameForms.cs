using System.Text.RegularExpressions;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// The spellings a <c>-n</c> name takes in a generated solution: as typed in file, folder, project and
/// assembly names; namespace-safe in C# namespaces; and the class-safe prefix of Aspire's generated
/// <c>Projects.*</c> types.
/// </summary>
internal sealed partial record NameForms(string Identity)
{
    /// <summary><c>Contoso.Shop-Api</c> becomes <c>Contoso.Shop_Api</c>.</summary>
    public string Namespace => string.Join('.', Identity.Split('.').Select(SafeIdentifier));

    /// <summary><c>Contoso.Shop-Api</c> becomes <c>Contoso_Shop_Api</c> (Aspire's class-name fix-up).</summary>
    public string ClassName => AspireClassNameFixup().Replace(Identity, "_");

    /// <summary>Lower-case namespace form, used where the source spells the name in lower case.</summary>
    public string LowerNamespace => Namespace.ToLowerInvariant();

    /// <summary>
    /// <c>Contoso.Shop-Api</c> becomes <c>contoso-shop-api</c>: a DNS label, as Kubernetes names objects and images name
    /// repositories (the template's <c>cluster-template</c>).
    /// </summary>
    public string KubernetesName
    {
        get
        {
            var name = NotKubernetesCharacters().Replace(Identity, "-").Trim('-').ToLowerInvariant();
            return name.Length > 0 && char.IsDigit(name[0]) ? "app-" + name : name;
        }
    }

    /// <summary>Maps generated text back to the template's spelling, so it can be compared with its source.</summary>
    public string ToSource(string generated)
    {
        var text = generated.Replace(Identity, Repository.SourceName, StringComparison.Ordinal)
            .Replace(Namespace, Repository.SourceName, StringComparison.Ordinal)
            .Replace(ClassName, Repository.SourceName, StringComparison.Ordinal);
        text = text.Replace(LowerNamespace, Repository.SourceName.ToLowerInvariant(), StringComparison.Ordinal);
        return text.Replace(KubernetesName, Repository.KubernetesName, StringComparison.Ordinal);
    }

    /// <summary>
    /// Maps a generated relative path back to the template's: file names use the name as typed, and the deploy
    /// files (<c>deploy/systemd/clustertemplate.service</c>) its <see cref="LowerNamespace"/> form.
    /// </summary>
    public string ToSourcePath(string generatedPath)
    {
        var path = LowerNamespace == Identity ? generatedPath
            : generatedPath.Replace(LowerNamespace, Repository.SourceName.ToLowerInvariant(), StringComparison.Ordinal);
        return path.Replace(Identity, Repository.SourceName, StringComparison.Ordinal);
    }

    private static string SafeIdentifier(string part)
    {
        var safe = InvalidIdentifierCharacter().Replace(part, "_");
        return safe.Length > 0 && char.IsDigit(safe[0]) ? "_" + safe : safe;
    }

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NotKubernetesCharacters();

    [GeneratedRegex(@"[^\w]")]
    private static partial Regex InvalidIdentifierCharacter();

    // Aspire.Hosting.AppHost.targets: _GeneratedClassNameFixupRegex.
    [GeneratedRegex(@"(((?<=\.)|^)(?=\d)|\W)")]
    private static partial Regex AspireClassNameFixup();
}
