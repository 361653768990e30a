using System.Text.Json;
using System.Text.RegularExpressions;
using ClusterTemplate.Template.Tests.Infrastructure;

namespace ClusterTemplate.Template.Tests;

/// <summary>Fast checks that the repository, as it sits in git, is both a runnable app and a consistent template.</summary>
[Trait("Category", "Template")]
public sealed partial class RepositoryTemplateTests
{
    [Fact]
    public void Primary_settings_with_template_markers_read_as_the_plain_defaults()
    {
        var settings = ClusterSettings.Read(Path.Combine(Repository.Root, "Primary", "appsettings.json"));

        Assert.Equal(new ClusterSettings(Workers: null, Port: 8080, Mode: null), settings);
    }

    [Fact]
    public void Solution_holds_only_projects_that_a_new_app_gets()
    {
        var solution = File.ReadAllText(Path.Combine(Repository.Root, Repository.SourceName + ".sln"));

        var projects = SolutionProjectPath().Matches(solution).Select(match => match.Groups["path"].Value.Replace('\\', '/')).ToList();

        Assert.NotEmpty(projects);
        Assert.All(projects, project =>
        {
            Assert.True(File.Exists(Path.Combine(Repository.Root, project)), $"{project} is in the solution but not on disk.");
            Assert.True(TemplateContent.IsIncluded(project, isDirectory: false), $"{project} is left out of new apps, so the generated solution could not load it; build it by path instead.");
        });
    }

    [Fact]
    public void Template_excludes_the_paths_that_the_tests_expect_to_stay_out()
    {
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, ".template.config", "template.json")));
        var excludes = template.RootElement.GetProperty("sources")[0].GetProperty("exclude").EnumerateArray().Select(glob => glob.GetString()).ToHashSet();

        Assert.All(TemplateContent.ExcludedPaths, path =>
            Assert.True(excludes.Contains(path) || excludes.Contains(path + "/**") || excludes.Contains(path + "/**/*"), $"template.json does not exclude {path}."));
        // Folder globs may spell the first letter as a class, as the engine's defaults do: **/[Bb]in/**.
        Assert.All(TemplateContent.ExcludedFolderNames, folder =>
            Assert.Contains(excludes, glob => glob is not null && glob.StartsWith("**/", StringComparison.Ordinal) && glob.EndsWith(folder[1..] + "/**", StringComparison.Ordinal)));
    }

    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]+", "(?<path>[^"]+\.csproj)",""", RegexOptions.Multiline)]
    private static partial Regex SolutionProjectPath();
}
