using System.Globalization;
using System.Runtime.Versioning;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.TestSupport;
using Xunit.Abstractions;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// The runtime folder holds the sockets that control the cluster: the primary uses only a private folder of
/// its own user, refuses anything else with one line and exit 2, and never removes what it did not create.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class RuntimeFolderTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "ct-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<string> _cleanup = [];

    public void Dispose()
    {
        foreach (var path in _cleanup.Append(_path))
        {
            if (new FileInfo(path) is { LinkTarget: not null } or { Exists: true })
            {
                File.Delete(path);
            }
            else if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    [RootTheory]
    [InlineData("symlink", "is a symbolic link")]
    [InlineData("file", "is not a folder")]
    [InlineData("folder of another user", "belongs to uid 65534")]
    public async Task Something_else_at_the_runtime_path_is_refused_with_one_line_and_left_alone(string kind, string reason)
    {
        var target = _path + "-target";
        switch (kind)
        {
            case "symlink":
                Directory.CreateDirectory(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                _cleanup.Add(target);
                File.WriteAllText(Path.Combine(target, "keep.txt"), "keep");
                File.CreateSymbolicLink(_path, target);
                break;
            case "file":
                File.WriteAllText(_path, "keep");
                break;
            default:
                await OtherUser.CreateFolderAsync(_path, "700");
                break;
        }

        var (exitCode, _, stderr) = await RunPrimaryToExitAsync(_path);

        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith($"error: Cluster:RuntimeDirectory '{_path}' {reason}", line, StringComparison.Ordinal);
        Assert.Equal(2, exitCode);
        switch (kind)
        {
            case "symlink":
                Assert.Equal(target, new FileInfo(_path).LinkTarget);
                Assert.Equal("keep", File.ReadAllText(Path.Combine(target, "keep.txt")));
                Assert.Single(Directory.GetFileSystemEntries(target));
                break;
            case "file":
                Assert.Equal("keep", File.ReadAllText(_path));
                break;
            default:
                Assert.Equal(OtherUser.Id, OtherUser.OwnerOf(_path));
                break;
        }
    }

    [RootFact]
    public async Task A_folder_another_user_made_for_the_cluster_is_not_taken_over()
    {
        // What a user racing the primary's mkdir with mode 0777 would leave at the path.
        await OtherUser.CreateFolderAsync(_path, "777");

        var (exitCode, _, stderr) = await RunPrimaryToExitAsync(_path);

        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith($"error: Cluster:RuntimeDirectory '{_path}' belongs to uid 65534, not to this user (uid 0)", line, StringComparison.Ordinal);
        Assert.Equal(2, exitCode);
        Assert.Equal(OtherUser.Id, OtherUser.OwnerOf(_path));
        Assert.Empty(Directory.GetFileSystemEntries(_path));
    }

    [Fact]
    public async Task A_folder_of_ours_that_others_may_enter_is_refused_with_how_to_fix_it()
    {
        Directory.CreateDirectory(_path);
        File.SetUnixFileMode(_path, (UnixFileMode)Convert.ToInt32("755", 8));

        var (exitCode, _, stderr) = await RunPrimaryToExitAsync(_path);

        Assert.Equal(
            $"error: Cluster:RuntimeDirectory '{_path}' has mode 0755, not 0700: other users could reach the sockets in it; run 'chmod 700 {_path}' or choose another folder.",
            Assert.Single(Lines(stderr)));
        Assert.Equal(2, exitCode);
        Assert.True(Directory.Exists(_path));
    }

    [Fact]
    public async Task An_existing_folder_keeps_its_files_through_the_run_and_the_stop()
    {
        Directory.CreateDirectory(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var notes = Path.Combine(_path, "notes.txt");
        File.WriteAllText(notes, "mine");

        await using (var primary = PrimaryProcess.StartIn(_path, output, workers: 1, "reuseport"))
        {
            await primary.WaitForRunningAsync(1);
            Assert.Equal("mine", File.ReadAllText(notes));

            primary.Signal(UnixSignals.SigTerm);
            await primary.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, primary.Process.ExitCode);

            // Checked before the test's own clean-up (disposing the primary) can touch the folder.
            Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(_path).Select(Path.GetFileName));
            Assert.Equal("mine", File.ReadAllText(notes));
        }
    }

    [Theory]
    [InlineData("under a file")] // seen by the start-up checks
    [InlineData("in /proc")] // seen only when mkdir fails
    public async Task A_runtime_folder_that_cannot_be_made_exits_2_with_one_line(string where)
    {
        string inside;
        if (where == "under a file")
        {
            File.WriteAllText(_path, "a file, not a folder");
            inside = Path.Combine(_path, "run");
        }
        else
        {
            inside = Path.Combine("/proc", Path.GetFileName(_path));
        }

        var (exitCode, _, stderr) = await RunPrimaryToExitAsync(inside);

        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith($"error: Cluster:RuntimeDirectory '{inside}' cannot be created: ", line, StringComparison.Ordinal);
        Assert.Equal(2, exitCode);
    }

    [Fact]
    public async Task A_runtime_folder_too_long_for_socket_paths_exits_2_with_one_line_and_is_not_made()
    {
        var tooLong = _path + "-" + new string('a', 100);
        _cleanup.Add(tooLong);

        var (exitCode, _, stderr) = await RunPrimaryToExitAsync(tooLong);

        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith($"error: Cluster:RuntimeDirectory '{tooLong}' is too long: ", line, StringComparison.Ordinal);
        Assert.Equal(2, exitCode);
        Assert.False(Directory.Exists(tooLong));
    }

    private static Task<(int ExitCode, string StandardOutput, string StandardError)> RunPrimaryToExitAsync(string runtimeDirectory) =>
        PrimaryProcess.RunToExitAsync("--workers", "1", "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--runtime-directory", runtimeDirectory);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
