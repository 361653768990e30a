using System.Text.RegularExpressions;
using ClusterTemplate.Template.Tests.Infrastructure;

namespace ClusterTemplate.Template.Tests;

/// <summary>
/// The container and Kubernetes files of a new app (no build): named after the app in the form Kubernetes accepts.
/// The app's own tests (Deployment/ in its tests) check them against its settings when it is built and tested.
/// </summary>
[Trait("Category", "Template")]
public sealed partial class GeneratedKubernetesManifestsTests(InstalledTemplateFixture template) : IClassFixture<InstalledTemplateFixture>
{
    [Fact]
    public async Task A_new_app_gets_manifests_and_an_image_named_with_its_DNS_label_form_and_otherwise_the_template_files()
    {
        using var work = new TempDirectory("kube");
        var solution = await NewAppAsync(work, "Tailwind.Orders-Api", "tailwind-orders-api");

        solution.AssertMirrors(Repository.Root);
    }

    [Fact]
    public async Task A_name_that_starts_with_a_digit_gets_a_DNS_label_that_starts_with_a_letter()
    {
        using var work = new TempDirectory("kube");
        await NewAppAsync(work, "3D.Shop", "app-3d-shop");
    }

    private async Task<GeneratedSolution> NewAppAsync(TempDirectory work, string appName, string kubernetesName)
    {
        var solution = new GeneratedSolution(work.Combine("out"), new NameForms(appName));

        (await template.Hive.NewAsync("-n", solution.Name.Identity, "--skip-restore", "-o", solution.Directory)).EnsureSuccess();

        Assert.Equal(kubernetesName, solution.Name.KubernetesName);
        Assert.Matches(DnsLabel(), kubernetesName);
        var folder = Path.Combine(solution.Directory, "deploy", "kubernetes");
        var manifests = Directory.GetFiles(folder).Select(File.ReadAllText).ToList();
        Assert.All(manifests, text => Assert.DoesNotContain(Repository.KubernetesName, text, StringComparison.Ordinal));
        Assert.All(manifests, text => Assert.DoesNotContain(Repository.SourceName, text, StringComparison.OrdinalIgnoreCase));
        Assert.Contains($"  name: {kubernetesName}\n", File.ReadAllText(Path.Combine(folder, "deployment.yaml")), StringComparison.Ordinal);
        Assert.Contains($"image: {kubernetesName}\n", File.ReadAllText(Path.Combine(folder, "deployment.yaml")), StringComparison.Ordinal);
        Assert.Contains($"<ContainerRepository>{kubernetesName}</ContainerRepository>", File.ReadAllText(Path.Combine(solution.Directory, "Primary", appName + ".Primary.csproj")), StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"/app/{appName}.Primary.dll\"]", File.ReadAllText(Path.Combine(solution.Directory, "Dockerfile")), StringComparison.Ordinal);
        return solution;
    }

    // RFC 1035 label, as Kubernetes requires of a Service's name.
    [GeneratedRegex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
