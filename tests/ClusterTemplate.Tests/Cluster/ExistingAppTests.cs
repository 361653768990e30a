using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// An app that was not written for the cluster (tests/Apps/ExistingApp: an API key in front of every request, request
/// logging at Information, and only <c>AddServiceDefaults()</c>) runs as the worker with nothing else changed.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class ExistingAppTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_app_that_calls_only_AddServiceDefaults_becomes_ready_behind_its_own_middleware()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 2, "reuseport", "--worker-path", AppPath);

        var workers = await primary.WaitForRunningAsync(2);

        Assert.Equal(2, workers.Select(worker => worker.ProcessId).Distinct().Count());
        var refused = await PublicClient.GetAsync(primary.BaseAddress, "/");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task The_primary_probes_do_not_show_in_the_apps_request_log()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport", "--worker-path", AppPath);
        await primary.WaitForRunningAsync(1);

        // The worker logs its own traffic at Information; once this request's line is out, the probes' would be too.
        const string PublicPath = "/logged-by-the-app";
        await PublicClient.GetAsync(primary.BaseAddress, PublicPath);
        await primary.WaitForOutputAsync(PublicPath + " - 401", TimeSpan.FromSeconds(30));

        var probeLines = primary.Output.Where(line => line.Contains("/cluster/", StringComparison.Ordinal)).ToList();
        Assert.True(probeLines.Count == 0, "the app's log shows the primary's probes:\n" + string.Join('\n', probeLines.Take(5)));
    }

    [Fact]
    public async Task Workers_run_in_the_working_directory_and_read_settings_from_their_own_folder()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("ct-cwd-").FullName;
        try
        {
            await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport", "--worker-path", AppPath, "--working-directory", workingDirectory);
            await primary.WaitForRunningAsync(1);

            using var client = new HttpClient { BaseAddress = primary.BaseAddress };
            client.DefaultRequestHeaders.Add("X-Api-Key", "secret");
            var where = await client.GetFromJsonAsync<Where>("/where");

            Assert.Equal(
                new Where(workingDirectory, Path.GetDirectoryName(AppPath)!, "read from appsettings.json"),
                where! with { ContentRootPath = where.ContentRootPath.TrimEnd('/') });
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_working_directory_that_does_not_exist_exits_2_with_one_line()
    {
        var missing = Path.Combine(Path.GetTempPath(), "ct-missing-" + Guid.NewGuid().ToString("N"));

        var (exitCode, _, stderr) = await PrimaryProcess.RunToExitAsync(
            "--working-directory", missing, "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: Cluster:WorkingDirectory must be an existing folder (got '{missing}').", stderr.Trim());
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_worker_program_that_never_answers_its_probes_is_told_which_call_is_missing()
    {
        // A program that runs but never wires the cluster: what an app without AddServiceDefaults() looks like to the primary.
        using var script = WorkerScript.Create("exec sleep 600");
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport", "--worker-path", script.Path, "--Cluster:Health:StartupTimeout=00:00:02");

        await primary.WaitForOutputAsync("does the app call builder.AddServiceDefaults()", TimeSpan.FromSeconds(30));
    }

    private sealed record Where(string WorkingDirectory, string ContentRootPath, string? Greeting);

    private static string AppPath => typeof(ExistingAppTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ExistingAppPath").Value!;
}
