using ClusterTemplate.Template.Tests.Infrastructure;

namespace ClusterTemplate.Template.Tests;

/// <summary>The systemd files of a new app (no build): named and filled in with the app's lower-case name.</summary>
[Trait("Category", "Template")]
public sealed class GeneratedSystemdUnitTests(InstalledTemplateFixture template) : IClassFixture<InstalledTemplateFixture>
{
    // On systemd before 253 verify warns about the type and ignores it; a dotted name is no strict user name.
    private const string OlderSystemdType = "Failed to parse service type, ignoring: notify-reload";
    private const string RelaxedUserName = "which does not match strict user/group name rules.";

    [Fact]
    public async Task A_new_app_gets_a_unit_file_and_sysctl_file_with_its_own_lower_case_name_that_systemd_analyze_accepts()
    {
        using var work = new TempDirectory("unit");
        var solution = new GeneratedSolution(work.Combine("out"), new NameForms("Tailwind.Orders-Api"));
        var name = solution.Name.LowerNamespace;

        (await template.Hive.NewAsync("-n", solution.Name.Identity, "--skip-restore", "-o", solution.Directory)).EnsureSuccess();

        var folder = Path.Combine(solution.Directory, "deploy", "systemd");
        Assert.Equal("tailwind.orders_api", name);
        Assert.Equal([name + "-sysctl.conf", name + ".service"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var unit = SystemdUnit.Read(Path.Combine(folder, name + ".service"));
        Assert.Equal($"/opt/{name}/Tailwind.Orders-Api.Primary --runtime-directory /run/{name}", unit.Service("ExecStart"));
        Assert.Equal(name, unit.Service("RuntimeDirectory"));
        Assert.Equal(name, unit.Service("User"));
        Assert.Contains($"/etc/sysctl.d/90-{name}.conf", File.ReadAllText(Path.Combine(folder, name + "-sysctl.conf")));
        Assert.DoesNotContain("clustertemplate", unit.Text, StringComparison.OrdinalIgnoreCase);
        solution.AssertMirrors(Repository.Root);

        if (SystemdUnit.AnalyzePath is null)
        {
            return; // No systemd here: the structural checks above and in SystemdUnitFileTests are what is left.
        }

        var (exitCode, lines, version) = await unit.VerifyAsync(work.Path, name + ".service");
        var unexpected = lines.Where(line => !(version < 253 && line.EndsWith(OlderSystemdType, StringComparison.Ordinal)) && !line.EndsWith(RelaxedUserName, StringComparison.Ordinal)).ToList();
        Assert.True(exitCode == 0 && unexpected.Count == 0, $"systemd-analyze verify (systemd {version}) exited with {exitCode}:\n{string.Join('\n', lines)}");
    }
}
