using System.Diagnostics;
using System.Text.Json;
using ClusterTemplate.TestSupport;

namespace ClusterTemplate.Tests.Deployment;

/// <summary>
/// <c>dotnet publish Primary -t:PublishContainer</c> cannot finish here (it pulls the base image), but the SDK computes the
/// image's configuration without a registry: it must be the Dockerfile's, so both ways build the same image.
/// </summary>
[Trait("Category", "Process")]
public sealed class ContainerPropertiesTests
{
    private static readonly TimeSpan s_msbuildBudget = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_SDK_container_configuration_is_the_Dockerfile_image()
    {
        var dockerfile = DockerfileInstructions.Read(SolutionFolder.Dockerfile);
        var manifests = KubernetesManifests.Read(SolutionFolder.KubernetesFolder);

        using var computed = await ComputeContainerConfigAsync();
        var properties = computed.RootElement.GetProperty("Properties");
        var items = computed.RootElement.GetProperty("Items");

        Assert.Equal(dockerfile.BaseImage, properties.GetProperty("ContainerBaseImage").GetString());
        Assert.Equal(dockerfile.WorkingDirectory, properties.GetProperty("ContainerWorkingDirectory").GetString()!.TrimEnd('/'));
        Assert.Equal(dockerfile.Entrypoint, Identities(items, "ContainerAppCommand"));
        Assert.Equal(
            dockerfile.Environment.OrderBy(variable => variable.Key, StringComparer.Ordinal),
            items.GetProperty("ContainerEnvironmentVariables").EnumerateArray()
                .Select(item => KeyValuePair.Create(item.GetProperty("Identity").GetString()!, item.GetProperty("Value").GetString()!))
                .OrderBy(variable => variable.Key, StringComparer.Ordinal));
        Assert.Equal(dockerfile.ExposedPorts.Select(port => port.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), Identities(items, "ContainerPort").Order(StringComparer.Ordinal));
        Assert.Equal(KubernetesManifestTests.ImageAppUserId.ToString(System.Globalization.CultureInfo.InvariantCulture), properties.GetProperty("ContainerUser").GetString());
        Assert.Equal(Assert.Single(manifests.Kustomization.Images).Name, properties.GetProperty("ContainerRepository").GetString());
    }

    private static IEnumerable<string> Identities(JsonElement items, string name) =>
        items.GetProperty(name).EnumerateArray().Select(item => item.GetProperty("Identity").GetString()!);

    private static async Task<JsonDocument> ComputeContainerConfigAsync()
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = SolutionFolder.Root,
        };
        string[] arguments =
        [
            "msbuild", SolutionFolder.PrimaryProject, "-nologo", "-nodeReuse:false", "-t:ComputeContainerConfig",
            "-getProperty:ContainerBaseImage", "-getProperty:ContainerWorkingDirectory", "-getProperty:ContainerUser", "-getProperty:ContainerRepository",
            "-getItem:ContainerAppCommand", "-getItem:ContainerEnvironmentVariables", "-getItem:ContainerPort",
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start.");
        var (exitCode, standardOutput, standardError) = await ProcessRun.ToExitAsync(process, s_msbuildBudget);
        Assert.True(exitCode == 0, $"dotnet msbuild -t:ComputeContainerConfig exited with {exitCode}:\n{standardOutput}{standardError}");
        return JsonDocument.Parse(standardOutput);
    }
}
