using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Tests.Control;

/// <summary>
/// Where the primary, the command-line client and the AppHost look for a cluster by default: a folder private
/// to the user, never a predictable name in the shared temp folder that another user could create first.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DefaultRuntimeDirectoryTests : IDisposable
{
    private readonly string _xdg = Directory.CreateTempSubdirectory("xdg").FullName;

    public void Dispose() => Directory.Delete(_xdg, recursive: true);

    [Fact]
    public void The_default_here_is_not_a_shared_name_in_the_temp_folder()
    {
        Assert.NotEqual(Path.Combine(Path.GetTempPath(), "clustertemplate-8080"), ControlSocket.DefaultRuntimeDirectory(8080));
    }

    [Fact]
    public void The_user_runtime_folder_comes_first()
    {
        Assert.Equal(Path.Combine(_xdg, "clustertemplate-8080"), ControlSocket.DefaultRuntimeDirectory(8080, _xdg, 1000, "/tmp/", hasRunFolder: true));
    }

    [Fact]
    public void Root_without_one_uses_run()
    {
        Assert.Equal("/run/clustertemplate-8080", ControlSocket.DefaultRuntimeDirectory(8080, null, 0, "/tmp/", hasRunFolder: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/xdg")]
    [InlineData("/nonexistent/xdg")]
    public void Another_user_without_one_gets_a_folder_of_its_own_in_the_temp_folder(string? xdg)
    {
        Assert.Equal("/tmp/clustertemplate-1000/8080", ControlSocket.DefaultRuntimeDirectory(8080, xdg, 1000, "/tmp/", hasRunFolder: true));
    }

    [Fact]
    public void Root_without_run_gets_a_folder_of_its_own_in_the_temp_folder()
    {
        Assert.Equal("/tmp/clustertemplate-0/8080", ControlSocket.DefaultRuntimeDirectory(8080, null, 0, "/tmp/", hasRunFolder: false));
    }

    [Fact]
    public void The_sockets_in_default_folders_are_found_by_port_and_nothing_else_counts()
    {
        foreach (var folder in new[] { "clustertemplate-9001", "clustertemplate-80", "clustertemplate-70000", "clustertemplate-x1", "clustertemplate-+5", "other-81" })
        {
            Directory.CreateDirectory(Path.Combine(_xdg, folder));
            File.WriteAllText(ControlSocket.PathIn(Path.Combine(_xdg, folder)), "");
        }

        Directory.CreateDirectory(Path.Combine(_xdg, "clustertemplate-82"));

        Assert.Equal(
            [(80, ControlSocket.PathIn(Path.Combine(_xdg, "clustertemplate-80"))), (9001, ControlSocket.PathIn(Path.Combine(_xdg, "clustertemplate-9001")))],
            ControlSocket.InDefaultRuntimeDirectories(_xdg, "clustertemplate-"));
    }

    [Fact]
    public void No_folder_no_sockets()
    {
        Assert.Empty(ControlSocket.InDefaultRuntimeDirectories(Path.Combine(_xdg, "missing"), ""));
    }
}
