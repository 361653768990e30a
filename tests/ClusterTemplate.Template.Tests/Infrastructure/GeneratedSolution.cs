namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>A solution made by <c>dotnet new clustertemplate -n &lt;name&gt;</c>, and the checks on it.</summary>
internal sealed class GeneratedSolution(string directory, NameForms name)
{
    /// <summary>Text that marks template processing in a source file (markers, and the values of generated ports): such files differ from their source on purpose.</summary>
    private static readonly string[] TemplateTokens = ["//#if", "<!--#if", "\n#if (", "\"Port\": 8080", "\"Workers\": 0", "18888", "18889", "18890"];

    private static readonly string[] MarkerLeftovers = ["#if", "#elseif", "#else", "#endif"];

    public string Directory => directory;

    public NameForms Name => name;

    public string SolutionPath => Path.Combine(directory, name.Identity + ".sln");

    public string PrimaryAppSettings => Path.Combine(directory, "Primary", "appsettings.json");

    /// <summary>The primary's build output folder after a Debug build.</summary>
    public string PrimaryOutputFolder => Path.Combine(directory, "Primary", "bin", "Debug", "net10.0");

    public string PrimaryAssembly => Path.Combine(PrimaryOutputFolder, name.Identity + ".Primary.dll");

    /// <summary>Projects of the generated solution under <c>tests/</c>.</summary>
    public IReadOnlyList<string> TestProjects =>
        System.IO.Directory.Exists(Path.Combine(directory, "tests"))
            ? System.IO.Directory.GetFiles(Path.Combine(directory, "tests"), "*.csproj", SearchOption.AllDirectories)
            : [];

    /// <summary>Every settings file of the output that has a <c>Cluster</c> section, with that section.</summary>
    public IReadOnlyList<(string File, ClusterSettings Settings)> ClusterSettingsFiles() =>
        TemplateContent.GeneratedFiles(directory)
            .Where(file => Path.GetFileName(file).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(file => (file, ClusterSettings.Read(Path.Combine(directory, file))))
            .Where(entry => entry.Item2 is not null)
            .Select(entry => (entry.file, entry.Item2!))
            .ToList();

    /// <summary>
    /// Asserts the output is the template's file set, renamed, and that every file equals its source but
    /// for the name; files with template markers must have none left and, if JSON, still parse.
    /// </summary>
    public void AssertMirrors(string templateRoot)
    {
        var generated = TemplateContent.GeneratedFiles(directory);
        var expected = TemplateContent.Files(templateRoot);
        var generatedAsSource = generated.Select(name.ToSourcePath).ToList();
        var missing = expected.Except(generatedAsSource).ToList();
        var extra = generated.Where(file => !expected.Contains(name.ToSourcePath(file))).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Output files differ from the template's. Missing: [{string.Join(", ", missing)}]. Not expected: [{string.Join(", ", extra)}].");

        foreach (var file in generated)
        {
            var source = File.ReadAllText(Path.Combine(templateRoot, name.ToSourcePath(file)));
            var output = File.ReadAllText(Path.Combine(directory, file));
            if (TemplateTokens.Any(token => source.Contains(token, StringComparison.Ordinal)))
            {
                AssertProcessed(file, output);
                continue;
            }

            AssertSameText(file, source, name.ToSource(output));
        }
    }

    private void AssertProcessed(string file, string output)
    {
        var leftover = output.Split('\n').FirstOrDefault(line => MarkerLeftovers.Any(marker => StripCommentStart(line).StartsWith(marker, StringComparison.Ordinal)));
        Assert.True(leftover is null, $"{file}: template marker left in the output: {leftover}");
        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            using var _ = System.Text.Json.JsonDocument.Parse(output, ClusterSettings.AppSettingsJson);
        }
    }

    private static string StripCommentStart(string line)
    {
        var text = line.TrimStart();
        text = text.StartsWith("<!--", StringComparison.Ordinal) ? text[4..] : text;
        return text.TrimStart('/');
    }

    private static void AssertSameText(string file, string expected, string actual)
    {
        if (expected == actual)
        {
            return;
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        Assert.Fail(
            $"{file} differs from its source beyond the renaming, first at line {line + 1} " +
            $"(unprotected #if or MSBuild Condition the engine evaluated?).{Environment.NewLine}" +
            $"source: {(line < expectedLines.Length ? expectedLines[line] : "<end>")}{Environment.NewLine}" +
            $"output: {(line < actualLines.Length ? actualLines[line] : "<end>")}");
    }
}
