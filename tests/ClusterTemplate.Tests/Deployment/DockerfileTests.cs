using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Tests.Deployment;

/// <summary>
/// The Dockerfile, which cannot be built here (no registry, no container runtime), read and checked against the
/// publish layout the primary looks for and the pod the manifests run.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DockerfileTests
{
    private readonly DockerfileInstructions _dockerfile = DockerfileInstructions.Read(SolutionFolder.Dockerfile);

    /// <summary>The official images of the runtime the app targets.</summary>
    private static string OfficialImage(string kind) => $"mcr.microsoft.com/dotnet/{kind}:{Environment.Version.Major}.0";

    [Fact]
    public void The_image_is_the_published_primary_with_its_worker_beside_it_on_the_official_ASP_NET_Core_image()
    {
        var stages = _dockerfile.Stages;
        var build = Assert.Single(stages, stage => stage.Image == OfficialImage("sdk"));
        var publish = Assert.Single(_dockerfile.Instructions, instruction => instruction.Name == "RUN" && instruction.Arguments.Contains("dotnet publish Primary ", StringComparison.Ordinal));
        var publishDir = publish.Arguments.Split(' ').SkipWhile(word => word != "-o").ElementAt(1);
        var workingDirectory = _dockerfile.WorkingDirectory;
        var primaryAssembly = typeof(ClusterOptions).Assembly.GetName().Name + ".dll";

        Assert.Equal(OfficialImage("aspnet"), _dockerfile.BaseImage);
        Assert.Contains(_dockerfile.FinalStage, instruction => instruction == ("COPY", $"--from={build.Name} {publishDir.TrimEnd('/')}/ ./"));
        Assert.Equal(["dotnet", $"{workingDirectory}/{primaryAssembly}"], _dockerfile.Entrypoint);

        // `dotnet publish Primary` puts the worker where the primary looks for it.
        var project = File.ReadAllText(SolutionFolder.PrimaryProject);
        Assert.Contains($"PublishDir=$([System.IO.Path]::GetFullPath('$(PublishDir)')){WorkerProgramLocator.PublishedWorkerFolder}/", project, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_runs_as_the_non_root_app_user_of_the_official_images()
    {
        Assert.Equal("$APP_UID", _dockerfile.User);
    }

    [Fact]
    public void The_image_defaults_are_the_settings_and_ports_the_pod_runs_with()
    {
        var manifests = KubernetesManifests.Read(SolutionFolder.KubernetesFolder);

        Assert.Equal(manifests.Environment.OrderBy(variable => variable.Key, StringComparer.Ordinal), _dockerfile.Environment.OrderBy(variable => variable.Key, StringComparer.Ordinal));
        Assert.Equal(manifests.Primary.Ports.Select(port => port.ContainerPort).Order(), _dockerfile.ExposedPorts.Order());
    }
}
