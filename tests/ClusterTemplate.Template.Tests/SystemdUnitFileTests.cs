using System.Globalization;
using System.Text.Json;
using ClusterTemplate.Template.Tests.Infrastructure;

namespace ClusterTemplate.Template.Tests;

/// <summary><c>deploy/systemd</c> as it sits in the repository: the settings the primary depends on under systemd.</summary>
[Trait("Category", "Template")]
public sealed class SystemdUnitFileTests
{
    private static readonly TimeSpan s_stopMargin = TimeSpan.FromSeconds(5);

    private static string Folder => Path.Combine(Repository.Root, "deploy", "systemd");

    private static SystemdUnit Unit => SystemdUnit.Read(Path.Combine(Folder, "clustertemplate.service"));

    [Fact]
    public void Systemd_waits_for_the_primary_to_say_it_is_ready_or_reloaded_and_stops_it_with_SIGTERM_first()
    {
        var unit = Unit;

        Assert.Equal("notify-reload", unit.Service("Type"));
        Assert.Equal("main", unit.Service("NotifyAccess"));
        Assert.Equal("mixed", unit.Service("KillMode"));
        Assert.Equal("on-failure", unit.Service("Restart"));
        Assert.Contains("# Type=notify", unit.Text.Replace("#   ", "# ", StringComparison.Ordinal));
        Assert.Contains("ExecReload=/opt/clustertemplate/ClusterTemplate.Primary reload --runtime-directory /run/clustertemplate", unit.Text);
    }

    [Fact]
    public void Stop_timeout_outlasts_the_drain_and_the_grace_period_of_the_primary_settings()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "Primary", "appsettings.json")), ClusterSettings.AppSettingsJson);
        var cluster = settings.RootElement.GetProperty("Cluster");
        var drain = TimeSpan.Parse(cluster.GetProperty("DrainTimeout").GetString()!, CultureInfo.InvariantCulture);
        var grace = TimeSpan.Parse(cluster.GetProperty("Health").GetProperty("StopGracePeriod").GetString()!, CultureInfo.InvariantCulture);

        var stop = SystemdUnit.ParseTimeSpan(Unit.Service("TimeoutStopSec")!);

        Assert.True(stop >= drain + grace + s_stopMargin, $"TimeoutStopSec {stop} is less than DrainTimeout {drain} + StopGracePeriod {grace} + {s_stopMargin}.");
    }

    [Fact]
    public void Primary_runs_as_its_own_user_with_the_private_runtime_folder_systemd_makes_for_it()
    {
        var unit = Unit;
        var runtimeDirectory = unit.Service("RuntimeDirectory");

        Assert.Equal("clustertemplate", runtimeDirectory);
        Assert.Equal("0700", unit.Service("RuntimeDirectoryMode"));
        Assert.Equal("/opt/clustertemplate/ClusterTemplate.Primary --runtime-directory /run/" + runtimeDirectory, unit.Service("ExecStart"));
        Assert.Equal("clustertemplate", unit.Service("User"));
        Assert.Null(unit.Service("DynamicUser"));
        Assert.Equal("/var/lib/" + unit.Service("StateDirectory"), unit.Service("WorkingDirectory"));
    }

    [Fact]
    public void Hardening_keeps_what_the_primary_needs_and_leaves_the_JIT_its_executable_memory()
    {
        var unit = Unit;

        Assert.Equal("yes", unit.Service("NoNewPrivileges"));
        Assert.Equal("strict", unit.Service("ProtectSystem"));
        Assert.Equal("yes", unit.Service("PrivateTmp"));
        Assert.Equal("yes", unit.Service("ProtectHome"));
        Assert.Equal("", unit.Service("CapabilityBoundingSet"));
        Assert.Null(unit.Service("AmbientCapabilities"));
        Assert.Equal(["AF_INET", "AF_INET6", "AF_UNIX"], unit.Service("RestrictAddressFamilies")!.Split(' ').Order(StringComparer.Ordinal));
        Assert.Null(unit.Service("MemoryDenyWriteExecute"));
    }

    [Fact]
    public void Sysctl_file_turns_on_listener_migration()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "clustertemplate-sysctl.conf"))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Replace(" ", "", StringComparison.Ordinal));

        Assert.Equal(["net.ipv4.tcp_migrate_req=1"], lines);
    }
}
