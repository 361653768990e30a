using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Shared.Control;
using ClusterTemplate.Tests.Cluster;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Deployment;

/// <summary>
/// The image cannot be built or run here, so its container is made by hand as Kubernetes makes it from
/// deploy/kubernetes: a mount namespace whose root filesystem is read-only, the published layout read-only in it, a
/// fresh tmpfs at the temp folder (the emptyDir), the image's user, and only the environment the base image and the
/// Dockerfile give, read from the Dockerfile. The public and health ports are free ports in place of 8080 and 8081.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class ContainerDefaultsTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>What the official ASP.NET Core image sets for every app (its Dockerfile) that matters here.</summary>
    private static readonly Dictionary<string, string> s_baseImageEnvironment = new()
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["APP_UID"] = KubernetesManifestTests.ImageAppUserId.ToString(CultureInfo.InvariantCulture),
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
        ["HOME"] = "/home/app",
    };

    private static readonly TimeSpan s_stopBudget = TimeSpan.FromSeconds(40);
    private static readonly HttpClient s_client = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly string _root = CreateRoot();
    private readonly ConcurrentQueue<string> _output = new();

    [ContainerFact]
    public async Task The_published_layout_runs_as_the_image_user_from_a_read_only_root_with_the_Dockerfile_defaults_and_drains_on_SIGTERM()
    {
        var dockerfile = DockerfileInstructions.Read(SolutionFolder.Dockerfile);
        var install = Path.Combine(_root, "app");
        var primaryDll = ReadOnlyInstall.Create(install);
        var temp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(temp);
        var (port, healthPort) = (FreePort.Next(), FreePort.Next());
        var environment = ContainerEnvironment(dockerfile, temp, port, healthPort);
        Assert.Equal([dockerfile.WorkingDirectory + "/" + Path.GetFileName(primaryDll)], dockerfile.Entrypoint.Skip(1));

        using var primary = StartContainer(install, temp, environment, [ResolveDotnet(), primaryDll]);
        try
        {
            var health = new Uri($"http://127.0.0.1:{healthPort}");
            var ready = await WaitForReadyAsync(primary, health);

            // Workers unset: one per processor this process sees, as in a pod it would be one per CPU of its limit.
            Assert.Equal(Environment.ProcessorCount, ready.GetProperty("total").GetInt32());
            var answer = await PublicClient.GetAsync(new Uri($"http://127.0.0.1:{port}"));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(KubernetesManifestTests.ImageAppUserId, UidOf(primary.Id));
            Assert.Equal(KubernetesManifestTests.ImageAppUserId, UidOf(answer.ProcessId));

            // Its sockets are on the tmpfs, seen only inside the container: the host's folder under it stays empty.
            var runtimeDirectory = ControlSocket.DefaultRuntimeDirectory(port, null, (uint)KubernetesManifestTests.ImageAppUserId, temp, hasRunFolder: true);
            Assert.True(File.Exists($"/proc/{primary.Id}/root{ControlSocket.PathIn(runtimeDirectory)}"), $"no control socket in {runtimeDirectory} inside the container");
            Assert.Empty(Directory.GetFileSystemEntries(temp));

            // Logs on stdout, shared mode chosen with nothing to warn about, and no line on stderr.
            Assert.Contains(_output, line => line.StartsWith("out: ", StringComparison.Ordinal) && line.Contains("mode shared", StringComparison.Ordinal));
            Assert.Contains(_output, line => line.StartsWith("out: [worker ", StringComparison.Ordinal));
            Assert.DoesNotContain(_output, line => line.StartsWith("err: ", StringComparison.Ordinal) || line.Contains("warn", StringComparison.OrdinalIgnoreCase));

            // What the kubelet does after the preStop sleep.
            Assert.True(UnixSignals.Send(primary.Id, UnixSignals.SigTerm));
            using var budget = new CancellationTokenSource(s_stopBudget);
            await primary.WaitForExitAsync(budget.Token);

            Assert.Equal(0, primary.ExitCode);
            Assert.False(PrimaryProcess.IsAlive(answer.ProcessId), $"worker pid {answer.ProcessId} outlived the primary");
        }
        finally
        {
            await StopAsync(primary);
        }
    }

    public void Dispose()
    {
        ReadOnlyInstall.MakeWritable(_root);
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The base image's environment, then the Dockerfile's <c>ENV</c>, with the test's free ports and temp folder.</summary>
    private static Dictionary<string, string> ContainerEnvironment(DockerfileInstructions dockerfile, string temp, int port, int healthPort)
    {
        var environment = new Dictionary<string, string>(s_baseImageEnvironment);
        foreach (var (name, value) in dockerfile.Environment)
        {
            environment[name] = value;
        }

        Assert.Equal("8080", environment["Cluster__Port"]);
        Assert.Equal("http://*:8081", environment["Cluster__HealthEndpoint"]);
        environment["Cluster__Port"] = port.ToString(CultureInfo.InvariantCulture);
        environment["Cluster__HealthEndpoint"] = $"http://*:{healthPort}";
        environment["TMPDIR"] = temp;
        return environment;
    }

    /// <summary>
    /// Starts <paramref name="command"/> in a mount namespace of its own: the root filesystem read-only (the install
    /// with it), a new tmpfs at <paramref name="temp"/>, then as the image's user in <paramref name="workingDirectory"/>.
    /// Each step execs the next, so the process started is the primary.
    /// </summary>
    private Process StartContainer(string workingDirectory, string temp, Dictionary<string, string> environment, string[] command)
    {
        const string Script = """
            set -e
            mount -o remount,bind,ro /
            mount -t tmpfs -o mode=1777,size=64m tmpfs "$1"
            cd "$2"
            shift 2
            exec "$@"
            """;
        var uid = KubernetesManifestTests.ImageAppUserId.ToString(CultureInfo.InvariantCulture);
        string[] arguments =
        [
            "--mount", "--propagation", "private", "--", "/bin/sh", "-c", Script, "sh", temp, workingDirectory,
            "/usr/bin/setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", .. command,
        ];
        var startInfo = new ProcessStartInfo("/usr/bin/unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("unshare did not start.");
        process.OutputDataReceived += (_, e) => OnLine("out: ", e.Data);
        process.ErrorDataReceived += (_, e) => OnLine("err: ", e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<JsonElement> WaitForReadyAsync(Process primary, Uri health)
    {
        using var timeout = new CancellationTokenSource(PrimaryProcess.StartBudget);
        var last = "";
        while (!timeout.IsCancellationRequested)
        {
            Assert.False(primary.HasExited, $"The container's primary exited with code {(primary.HasExited ? primary.ExitCode : 0)}:\n{string.Join('\n', _output)}");
            try
            {
                using var response = await s_client.GetAsync(new Uri(health, ControlRoutes.Readiness), timeout.Token);
                last = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var body = JsonDocument.Parse(last);
                    return body.RootElement.Clone();
                }
            }
            catch (HttpRequestException)
            {
                // The health endpoint is not up yet.
            }

            await Task.Delay(200, CancellationToken.None);
        }

        throw new TimeoutException($"/readyz never answered 200; last: {last}\n{string.Join('\n', _output.TakeLast(40))}");
    }

    private void OnLine(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(stream + line);
        try
        {
            output.WriteLine(stream + line);
        }
        catch (InvalidOperationException)
        {
            // The test has ended: nothing reads its log any more.
        }
    }

    /// <summary>Stops a container the test did not see to its end: SIGTERM, then SIGKILL to what is left.</summary>
    private static async Task StopAsync(Process primary)
    {
        if (!primary.HasExited)
        {
            UnixSignals.Send(primary.Id, UnixSignals.SigTerm);
            using var budget = new CancellationTokenSource(s_stopBudget);
            await primary.WaitForExitAsync(budget.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!primary.HasExited)
            {
                primary.Kill(entireProcessTree: true);
            }
        }
    }

    private static string ResolveDotnet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : new FileInfo("/usr/bin/dotnet").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/usr/share/dotnet/dotnet";

    private static long UidOf(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);

    private static string CreateRoot()
    {
        // Open to the image's user on the way down: CreateTempSubdirectory makes it 0700.
        var root = Directory.CreateTempSubdirectory("ct-ctr-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)Convert.ToInt32("755", 8));
        return root;
    }
}

/// <summary>A fact that makes a container by hand: root, <c>unshare</c> and <c>setpriv</c> on Linux; skipped otherwise.</summary>
internal sealed class ContainerFactAttribute : FactAttribute
{
    public ContainerFactAttribute()
    {
        if (!OtherUser.IsAvailable || !File.Exists("/usr/bin/unshare"))
        {
            Skip = "Needs root on Linux with unshare and setpriv: it makes a mount namespace and runs as another user.";
        }
    }
}
