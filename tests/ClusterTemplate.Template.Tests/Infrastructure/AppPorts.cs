using System.Text.Json;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>
/// The local ports an app made from the template uses: its dashboard, the dashboard's OTLP endpoint and the AppHost's
/// resource service (from the AppHost's launch profile), and its cluster's public port (from the AppHost's settings).
/// </summary>
internal sealed record AppPorts(int Dashboard, int Otlp, int ResourceService, int Cluster)
{
    /// <summary>The launch profile <c>dotnet run --project AppHost</c> uses: the first.</summary>
    public static string DefaultProfileName(string appRoot) => LaunchProfiles(appRoot).First().Name;

    /// <summary>The environment variables of one launch profile of the AppHost.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string appRoot, string profile) =>
        LaunchProfiles(appRoot).Single(entry => entry.Name == profile).Value.GetProperty("environmentVariables")
            .EnumerateObject().ToDictionary(variable => variable.Name, variable => variable.Value.GetString()!);

    /// <summary>The ports of the app in <paramref name="appRoot"/>, as one launch profile gives them.</summary>
    public static AppPorts Read(string appRoot, string profile)
    {
        var launch = LaunchProfiles(appRoot).Single(entry => entry.Name == profile).Value;
        var environment = Environment(appRoot, profile);
        var cluster = ClusterSettings.Read(Path.Combine(appRoot, "AppHost", "appsettings.json"))?.Port
            ?? throw new InvalidOperationException("The AppHost's appsettings.json sets no Cluster:Port.");
        return new AppPorts(
            new Uri(launch.GetProperty("applicationUrl").GetString()!).Port,
            new Uri(environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]).Port,
            new Uri(environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"]).Port,
            cluster);
    }

    /// <summary>Each port, named.</summary>
    public IEnumerable<(string Name, int Port)> All =>
        [("dashboard", Dashboard), ("OTLP", Otlp), ("resource service", ResourceService), ("cluster", Cluster)];

    private static List<(string Name, JsonElement Value)> LaunchProfiles(string appRoot)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(appRoot, "AppHost", "Properties", "launchSettings.json")));
        return [.. document.RootElement.GetProperty("profiles").EnumerateObject().Select(profile => (profile.Name, profile.Value.Clone()))];
    }
}
