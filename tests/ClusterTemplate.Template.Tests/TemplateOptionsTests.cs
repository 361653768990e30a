using ClusterTemplate.Template.Tests.Infrastructure;

namespace ClusterTemplate.Template.Tests;

/// <summary>The template's parameters as <c>dotnet new</c> shows, checks and applies them (no build).</summary>
[Trait("Category", "Template")]
public sealed class TemplateOptionsTests(InstalledTemplateFixture template) : IClassFixture<InstalledTemplateFixture>
{
    [Fact]
    public async Task Help_lists_the_parameters_with_their_defaults()
    {
        var help = (await template.Hive.NewAsync("-h")).EnsureSuccess().Output;

        Assert.Contains("-w, --workers <workers>", help);
        Assert.Contains("Default: 0", help);
        Assert.Contains("-p, --port <port>", help);
        Assert.Contains("0 (the default) picks one for this", help);
        Assert.Contains("-m, --mode <choice>", help);
        Assert.Contains("Default: auto", help);
        Assert.Contains("reuseport", help);
        Assert.Contains("proxy", help);
        Assert.Contains("--aot", help);
        Assert.Contains("--https", help);
        Assert.Contains("--skip-restore", help);
        Assert.DoesNotContain("must-be", help);
        Assert.DoesNotContain("dashboard-port", help);
    }

    [Theory]
    [InlineData("--workers", "257", "--workers-must-be-0-to-256")]
    [InlineData("--workers", "-1", "--workers-must-be-0-to-256")]
    [InlineData("--port", "-1", "--port-must-be-0-to-65535")]
    [InlineData("--port", "65536", "--port-must-be-0-to-65535")]
    [InlineData("--port", "http", "--port")]
    [InlineData("--mode", "roundrobin", "--mode")]
    public async Task Values_that_make_no_sense_are_refused_and_nothing_is_written(string option, string value, string named)
    {
        using var work = new TempDirectory("bad");
        var output = work.Combine("out");

        var result = await template.Hive.NewAsync("-n", "Refused", option, value, "--skip-restore", "-o", output);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.Output);
        Assert.Empty(Directory.Exists(output) ? Directory.GetFileSystemEntries(output) : []);
    }

    [Fact]
    public async Task Defaults_leave_workers_and_mode_to_the_primary_pick_a_port_and_skip_restore_skips_it()
    {
        using var work = new TempDirectory("defaults");
        var solution = new GeneratedSolution(work.Combine("out"), new NameForms("Defaults"));

        (await template.Hive.NewAsync("-n", solution.Name.Identity, "--skip-restore", "-o", solution.Directory)).EnsureSuccess();

        var settings = ClusterSettings.Read(solution.PrimaryAppSettings);
        Assert.Equal(new ClusterSettings(Workers: null, settings?.Port, Mode: null), settings);
        Assert.InRange(settings!.Port!.Value, 5000, 5300);
        Assert.True(File.Exists(solution.SolutionPath));
        Assert.False(Directory.Exists(Path.Combine(solution.Directory, "Primary", "obj")), "--skip-restore still restored.");
    }

    [Theory]
    [InlineData("reuseport", "1")]
    [InlineData("proxy", "256")]
    [InlineData("shared", "3")]
    public async Task Chosen_mode_and_worker_count_are_written_to_the_primary_settings(string mode, string workers)
    {
        using var work = new TempDirectory("mode");
        var solution = new GeneratedSolution(work.Combine("out"), new NameForms("Modes"));

        (await template.Hive.NewAsync("-n", solution.Name.Identity, "--mode", mode, "--workers", workers, "--port", "65535", "--skip-restore", "-o", solution.Directory)).EnsureSuccess();

        Assert.Equal(new ClusterSettings(int.Parse(workers, System.Globalization.CultureInfo.InvariantCulture), 65535, mode), ClusterSettings.Read(solution.PrimaryAppSettings));
    }

    [Theory]
    [InlineData(false, "false")]
    [InlineData(true, "true")]
    public async Task Aot_sets_the_workers_publish_setting(bool aot, string expected)
    {
        using var work = new TempDirectory("aot");
        var solution = new GeneratedSolution(work.Combine("out"), new NameForms("Aot"));

        (await template.Hive.NewAsync(["-n", solution.Name.Identity, .. aot ? ["--aot"] : Array.Empty<string>(), "--skip-restore", "-o", solution.Directory])).EnsureSuccess();

        var project = System.Xml.Linq.XDocument.Load(Path.Combine(solution.Directory, "Worker", solution.Name.Identity + ".Worker.csproj"));
        var settings = project.Descendants("WorkerAot").Select(element => element.Value).ToList();
        Assert.Equal([expected], settings);
        Assert.Equal("$(WorkerAot)", Assert.Single(project.Descendants("PublishAot")).Value);
        // The clang-14 fallback's MSBuild condition is the build's, not the template engine's: it must survive generation.
        Assert.Contains(project.Descendants("CppCompilerAndLinker"), element => element.Parent?.Attribute("Condition")?.Value.Contains("clang-14", StringComparison.Ordinal) == true);
    }
}
