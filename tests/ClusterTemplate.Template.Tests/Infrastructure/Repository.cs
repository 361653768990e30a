namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>The repository these tests run from: it is the template.</summary>
internal static class Repository
{
    /// <summary>The folder holding <c>.template.config/template.json</c>, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The template package project; packing it also packs <see cref="HostingProject"/> and <see cref="ServiceDefaultsProject"/> next to it.</summary>
    public static string PackageProject => Path.Combine(Root, "pack", "ClusterTemplate.Templates.csproj");

    /// <summary>The package id of <see cref="PackageProject"/>.</summary>
    public const string PackageId = "ClusterTemplate.Templates";

    /// <summary>The Aspire hosting library: AddCluster, the worker rows, the commands.</summary>
    public static string HostingProject => Path.Combine(Root, "Hosting", "ClusterTemplate.Hosting.csproj");

    /// <summary>The package id of <see cref="HostingProject"/>.</summary>
    public const string HostingPackageId = "ClusterTemplate.Hosting";

    /// <summary>The worker library: <c>AddServiceDefaults()</c>, packed by <see cref="PackageProject"/> next to it.</summary>
    public static string ServiceDefaultsProject => Path.Combine(Root, "ServiceDefaults", "ClusterTemplate.ServiceDefaults.csproj");

    /// <summary>The package id of <see cref="ServiceDefaultsProject"/>.</summary>
    public const string ServiceDefaultsPackageId = "ClusterTemplate.ServiceDefaults";

    /// <summary>The cluster's primary, the project an AppHost runs.</summary>
    public static string PrimaryProject => Path.Combine(Root, "Primary", "ClusterTemplate.Primary.csproj");

    /// <summary>
    /// The primary's assembly in its build output, built with this test project (a project reference) in the same
    /// configuration: the folder above the test binaries' <c>net10.0</c> is named after it.
    /// </summary>
    public static string PrimaryAssembly => Path.Combine(
        Root, "Primary", "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "ClusterTemplate.Primary.dll");

    /// <summary>The template's <c>sourceName</c>: every occurrence is renamed after <c>-n</c>.</summary>
    public const string SourceName = "ClusterTemplate";

    /// <summary>The name Kubernetes objects and the container image carry in the template (a DNS label): renamed too.</summary>
    public const string KubernetesName = "cluster-template";

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ".template.config", "template.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No .template.config/template.json above {AppContext.BaseDirectory}.");
    }
}
