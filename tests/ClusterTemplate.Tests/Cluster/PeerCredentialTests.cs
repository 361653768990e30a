using System.Runtime.Versioning;
using ClusterTemplate.ServiceDefaults.Cluster;
using ClusterTemplate.Shared.Control;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The control socket and the management sockets answer only the primary's own user (and root), and the
/// primary believes a management socket only when the worker it started is the one listening on it.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class PeerCredentialTests(ITestOutputHelper output)
{
    [RootFact]
    public async Task Another_user_is_refused_on_the_control_socket_and_on_a_management_socket_even_when_the_folder_lets_it_in()
    {
        await using var primary = PrimaryProcess.Start(output, workers: 1, "reuseport");
        var worker = Assert.Single(await primary.WaitForRunningAsync(1));
        var control = ControlSocket.PathIn(primary.RuntimeDirectory);
        var management = Path.Combine(primary.RuntimeDirectory, $"worker-{worker.WorkerId}-{worker.Generation}.sock");

        // A mistake (or a later chmod) opens the folder and the sockets: the peer check must still hold.
        File.SetUnixFileMode(primary.RuntimeDirectory, (UnixFileMode)Convert.ToInt32("711", 8));
        File.SetUnixFileMode(control, (UnixFileMode)Convert.ToInt32("777", 8));
        File.SetUnixFileMode(management, (UnixFileMode)Convert.ToInt32("777", 8));

        var asControl = await OtherUser.RunAsync("curl", "-sS", "--max-time", "10", "--unix-socket", control, "http://primary" + ControlRoutes.Status);
        var asManagement = await OtherUser.RunAsync("curl", "-sS", "--max-time", "10", "--unix-socket", management, "http://worker" + ManagementPaths.Ready);

        Assert.True(asControl.ExitCode != 0, $"nobody read the worker table: {asControl.StandardOutput}");
        Assert.Equal("", asControl.StandardOutput);
        Assert.True(asManagement.ExitCode != 0, $"nobody was told the worker is ready: {asManagement.StandardOutput}");
        Assert.Equal("", asManagement.StandardOutput);
        await primary.WaitForOutputAsync($"Refused a connection on {control} from uid {OtherUser.Id}", TimeSpan.FromSeconds(5));
        Assert.Single((await primary.GetStatusAsync()).Workers);
    }
}
