using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.ServiceDefaults.Cluster.Listeners;
using ClusterTemplate.Shared.Control;
using k8s;
using k8s.Models;

namespace ClusterTemplate.Tests.Deployment;

/// <summary>
/// <c>deploy/kubernetes</c> against the code and the primary's settings, so that its probe paths, ports and timeouts
/// cannot drift from what the primary does.
/// </summary>
[Trait("Category", "Unit")]
public sealed class KubernetesManifestTests
{
    /// <summary>The app user of the official .NET images: their <c>APP_UID</c>.</summary>
    internal const long ImageAppUserId = 1654;

    private static readonly TimeSpan s_stopMargin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_startMargin = TimeSpan.FromSeconds(30);

    private readonly KubernetesManifests _manifests = KubernetesManifests.Read(SolutionFolder.KubernetesFolder);

    [Fact]
    public void Every_file_is_a_resource_of_the_kustomization_and_parses_into_the_API_types()
    {
        var files = Directory.GetFiles(SolutionFolder.KubernetesFolder).Select(Path.GetFileName).Where(file => file != KubernetesManifests.KustomizationFile);

        Assert.Equal(files.Order(StringComparer.Ordinal), _manifests.Kustomization.Resources.Order(StringComparer.Ordinal));
        Assert.Equal("Kustomization", _manifests.Kustomization.Kind);
        Assert.Equal(
            ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"],
            _manifests.Resources.Select(entry => ((IKubernetesObject)entry.Resource).Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Probes_ask_the_primary_health_endpoint_for_its_readiness_and_liveness_paths()
    {
        var settings = _manifests.Settings();
        var container = _manifests.Primary;
        var healthEndpoint = HealthEndpointAddress.Parse(settings.HealthEndpoint);

        Assert.NotNull(healthEndpoint);
        Assert.Equal("*", healthEndpoint.Host); // the kubelet probes the pod's address, not its loopback
        Assert.Equal(ControlRoutes.Readiness, container.StartupProbe.HttpGet.Path);
        Assert.Equal(ControlRoutes.Readiness, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(ControlRoutes.Liveness, container.LivenessProbe.HttpGet.Path);
        Assert.All(
            [container.StartupProbe, container.ReadinessProbe, container.LivenessProbe],
            probe => Assert.Equal(healthEndpoint.Port, _manifests.ContainerPort(probe.HttpGet.Port)));
    }

    [Fact]
    public void Service_sends_to_the_public_port_the_primary_listens_on_and_selects_the_Deployment_pods()
    {
        var settings = _manifests.Settings();
        var service = _manifests.Service;
        var podLabels = _manifests.Deployment.Spec.Template.Metadata.Labels;

        var port = Assert.Single(service.Spec.Ports);

        Assert.Equal(settings.Port, _manifests.ContainerPort(port.TargetPort));
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, podLabels[label.Key]));
    }

    [Fact]
    public void The_grace_period_outlasts_the_preStop_sleep_the_shutdown_delay_the_drain_and_the_workers_stop_grace()
    {
        var settings = _manifests.Settings();
        var preStop = TimeSpan.FromSeconds(_manifests.Primary.Lifecycle.PreStop.Sleep.Seconds);
        var grace = TimeSpan.FromSeconds(_manifests.Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds!.Value);

        Assert.True(preStop > TimeSpan.Zero, "no preStop sleep: endpoints would still send to a pod that drains");
        Assert.True(
            grace >= preStop + settings.ShutdownDelay + settings.DrainTimeout + settings.Health.StopGracePeriod + s_stopMargin,
            $"terminationGracePeriodSeconds {grace} is less than preStop {preStop} + ShutdownDelay {settings.ShutdownDelay} + DrainTimeout {settings.DrainTimeout} + StopGracePeriod {settings.Health.StopGracePeriod} + {s_stopMargin}.");
    }

    [Fact]
    public void The_startup_probe_gives_the_workers_their_startup_timeout_and_the_init_its_own()
    {
        var settings = _manifests.Settings();
        var probe = _manifests.Primary.StartupProbe;
        var budget = TimeSpan.FromSeconds(probe.PeriodSeconds!.Value * probe.FailureThreshold!.Value);
        var needed = settings.Health.StartupTimeout + (InitSchedule.RunsAtStart(settings.Init.When) ? settings.Init.Timeout : TimeSpan.Zero) + s_startMargin;

        Assert.True(budget >= needed, $"the startup probe gives up after {budget}, before {needed}.");
    }

    [Fact]
    public void Shared_mode_and_no_worker_count_so_the_CPU_limit_decides_how_many_workers_run()
    {
        var settings = _manifests.Settings();
        var resources = _manifests.Primary.Resources;

        Assert.Equal(ListenerModeNames.Shared, settings.Mode);
        Assert.DoesNotContain(_manifests.Environment.Keys, name => name.Equals("Cluster__Workers", StringComparison.OrdinalIgnoreCase));
        Assert.True(resources.Limits["cpu"].ToDouble() >= 1, "no CPU limit of at least one core");
        Assert.Equal(resources.Limits["cpu"], resources.Requests["cpu"]);
    }

    [Fact]
    public void The_pod_runs_as_the_image_non_root_user_on_a_read_only_root_with_its_runtime_folder_on_a_tmpfs_emptyDir()
    {
        var settings = _manifests.Settings();
        var pod = _manifests.Deployment.Spec.Template.Spec;
        var container = _manifests.Primary;
        var userId = pod.SecurityContext.RunAsUser!.Value;

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(ImageAppUserId, userId);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);

        // Where the primary puts its sockets in this pod: the configured folder, else its default for this user.
        var temp = _manifests.Environment.GetValueOrDefault("TMPDIR", "/tmp");
        var runtimeDirectory = settings.RuntimeDirectory is { Length: > 0 } configured
            ? configured
            : ControlSocket.DefaultRuntimeDirectory(settings.Port, _manifests.Environment.GetValueOrDefault("XDG_RUNTIME_DIR"), (uint)userId, temp, hasRunFolder: true);
        var mount = Assert.Single(container.VolumeMounts, mount => runtimeDirectory.StartsWith(mount.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        var volume = Assert.Single(pod.Volumes, volume => volume.Name == mount.Name);

        // A tmpfs root is 1777, sticky as the primary requires of a folder above its own; a disk emptyDir is 0777.
        Assert.Equal("Memory", volume.EmptyDir.Medium);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Null(RuntimeFolderRules.CheckLength(runtimeDirectory));
        }
    }

    [Fact]
    public void The_disruption_budget_and_the_autoscaler_act_on_the_Deployment()
    {
        var deployment = _manifests.Deployment;
        var budget = _manifests.DisruptionBudget;
        var autoscaler = _manifests.Autoscaler;

        Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        Assert.All(deployment.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, deployment.Spec.Template.Metadata.Labels[label.Key]));
        Assert.Equal(("apps/v1", "Deployment", deployment.Metadata.Name), (autoscaler.Spec.ScaleTargetRef.ApiVersion, autoscaler.Spec.ScaleTargetRef.Kind, autoscaler.Spec.ScaleTargetRef.Name));
        var cpu = Assert.Single(autoscaler.Spec.Metrics);
        Assert.Equal("cpu", cpu.Resource.Name);
        Assert.Null(deployment.Spec.Replicas); // the autoscaler's to set
        Assert.True(autoscaler.Spec.MinReplicas >= 2, "one pod alone cannot roll without a gap in capacity");
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value); // a rollout adds before it removes
    }

    [Fact]
    public void The_kustomization_points_the_Deployment_image()
    {
        var image = Assert.Single(_manifests.Kustomization.Images);

        Assert.Equal(image.Name, _manifests.Primary.Image);
    }
}
