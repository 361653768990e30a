using System.Text.Json.Serialization;
using ClusterTemplate.Primary.Configuration;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace ClusterTemplate.Tests.Deployment;

/// <summary>
/// <c>deploy/kubernetes</c> read into the Kubernetes API's own types (strictly: an unknown field is an error), and the
/// primary's settings as a pod of that Deployment has them: <c>Primary/appsettings.json</c> under the container's env.
/// </summary>
internal sealed class KubernetesManifests
{
    public const string KustomizationFile = "kustomization.yaml";

    private KubernetesManifests(Kustomization kustomization, IReadOnlyList<(string File, object Resource)> resources)
    {
        Kustomization = kustomization;
        Resources = resources;
    }

    public Kustomization Kustomization { get; }

    /// <summary>Every object of every file the kustomization lists, with its file.</summary>
    public IReadOnlyList<(string File, object Resource)> Resources { get; }

    public V1Deployment Deployment => Single<V1Deployment>();

    public V1Service Service => Single<V1Service>();

    public V1PodDisruptionBudget DisruptionBudget => Single<V1PodDisruptionBudget>();

    public V2HorizontalPodAutoscaler Autoscaler => Single<V2HorizontalPodAutoscaler>();

    /// <summary>The pod's one container: the primary, which starts the workers itself.</summary>
    public V1Container Primary => Assert.Single(Deployment.Spec.Template.Spec.Containers);

    /// <summary>The container's env, by name.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        (Primary.Env ?? []).ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);

    /// <summary>The container port named <paramref name="name"/> (probes and the Service refer to ports by name).</summary>
    public int ContainerPort(IntOrString port) =>
        int.TryParse(port.Value, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : Assert.Single(Primary.Ports, candidate => candidate.Name == port.Value).ContainerPort;

    /// <summary>The primary's settings in the pod, read and checked as the primary reads and checks them at start.</summary>
    public ClusterOptions Settings()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(SolutionFolder.PrimaryAppSettings)
            .AddInMemoryCollection(Environment.Select(variable => KeyValuePair.Create(variable.Key.Replace("__", ":", StringComparison.Ordinal), (string?)variable.Value)))
            .Build();
        var options = new ClusterOptions();
        ClusterSettingsReader.Read(configuration.GetSection(ClusterOptions.SectionName), options);
        var failures = new ClusterOptionsValidator().Validate(null, options).Failures ?? [];
        Assert.True(!failures.Any(), "The pod's settings are refused: " + string.Join(" ", failures));
        return options;
    }

    public static KubernetesManifests Read(string folder)
    {
        var kustomization = KubernetesYaml.Deserialize<Kustomization>(File.ReadAllText(Path.Combine(folder, KustomizationFile)), strict: true);
        var resources = kustomization.Resources
            .SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(folder, file)), strict: true).Select(resource => (file, resource)))
            .ToList();
        return new(kustomization, resources);
    }

    private T Single<T>() => Assert.Single(Resources.Select(entry => entry.Resource).OfType<T>());
}

/// <summary>The part of a <c>kustomization.yaml</c> the manifests use.</summary>
internal sealed class Kustomization
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("resources")]
    public List<string> Resources { get; set; } = [];

    [JsonPropertyName("images")]
    public List<KustomizeImage> Images { get; set; } = [];
}

/// <summary>An <c>images:</c> entry: which image name to point elsewhere.</summary>
internal sealed class KustomizeImage
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("newName")]
    public string? NewName { get; set; }

    [JsonPropertyName("newTag")]
    public string? NewTag { get; set; }
}
