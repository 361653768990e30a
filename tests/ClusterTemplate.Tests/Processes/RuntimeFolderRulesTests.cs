using System.Runtime.Versioning;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Tests.Cluster;

namespace ClusterTemplate.Tests.Processes;

/// <summary>The folders above the runtime folder: whoever can change one of them can swap the runtime folder.</summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Unit")]
public sealed class RuntimeFolderRulesTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "ct-rules-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (new FileInfo(_path).LinkTarget is not null)
        {
            File.Delete(_path);
        }
        else if (Directory.Exists(_path))
        {
            Directory.Delete(_path, recursive: true);
        }
    }

    [Fact]
    public void A_folder_inside_one_everybody_may_write_is_refused()
    {
        Directory.CreateDirectory(_path);
        File.SetUnixFileMode(_path, (UnixFileMode)Convert.ToInt32("777", 8));
        var runtime = Path.Combine(_path, "run");

        Assert.Equal(
            $"Cluster:RuntimeDirectory '{runtime}' is inside '{_path}' (owner uid {OtherUser.CurrentId}, mode 0777), which other users can change; choose a folder inside folders only this user or root can change.",
            RuntimeFolderRules.Check(runtime));
    }

    [Fact]
    public void A_folder_inside_a_sticky_shared_folder_or_a_private_one_is_accepted()
    {
        Directory.CreateDirectory(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Null(RuntimeFolderRules.Check(Path.Combine(_path, "run")));
        Assert.Null(RuntimeFolderRules.Check(Path.Combine(_path, "not-yet", "run")));
    }

    [RootFact]
    public async Task A_folder_behind_a_link_another_user_owns_is_refused()
    {
        var (exitCode, _, stderr) = await OtherUser.RunAsync("ln", "-s", Path.GetTempPath(), _path);
        Assert.True(exitCode == 0, stderr);
        var runtime = Path.Combine(_path, "run");

        Assert.Equal(
            $"Cluster:RuntimeDirectory '{runtime}' is inside '{_path}', a symbolic link of uid 65534; choose a folder inside folders only this user or root can change.",
            RuntimeFolderRules.Check(runtime));
    }
}
