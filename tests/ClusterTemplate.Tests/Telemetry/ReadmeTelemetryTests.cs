using System.Reflection;
using ClusterTemplate.Primary.Telemetry;

namespace ClusterTemplate.Tests.Telemetry;

/// <summary>The README's "Telemetry" section names every span and metric the primary emits.</summary>
[Trait("Category", "Unit")]
public sealed class ReadmeTelemetryTests
{
    public static TheoryData<string> Names() =>
        [.. new[] { typeof(SpanNames), typeof(MetricNames) }
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_readme_explains_each_span_and_metric(string name) =>
        Assert.Contains($"| `{name}` |", TelemetrySection());

    private static string TelemetrySection()
    {
        var readme = File.ReadAllText(Path.Combine(SolutionRoot(), "README.md"));
        var start = readme.IndexOf("### Telemetry\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has no \"### Telemetry\" section");
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    /// <summary>The folder holding the README and the Primary project, found upwards from the test binaries.</summary>
    private static string SolutionRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "README.md")) && Directory.Exists(Path.Combine(directory.FullName, "Primary")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No README.md beside a Primary folder above {AppContext.BaseDirectory}.");
    }
}
