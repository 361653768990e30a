using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Tests.Processes;

[Trait("Category", "Unit")]
public sealed class WorkerProgramLocatorTests : IDisposable
{
    private static readonly string WorkerDll = WorkerProgramLocator.WorkerAssemblyName + ".dll";

    private readonly string _root = Directory.CreateTempSubdirectory("locator").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Prefers_the_worker_published_beside_the_primary_and_its_app_host()
    {
        var published = Touch("primary", "worker", WorkerDll);
        var appHost = Touch("primary", "worker", WorkerProgramLocator.WorkerAssemblyName);
        var buildOutput = Touch("build", WorkerDll);

        Assert.True(new WorkerProgramLocator(Path.Combine(_root, "primary"), buildOutput).TryLocate(null, out var program, out var searched));

        Assert.Equal(appHost, program.FileName);
        Assert.Empty(program.Arguments);
        Assert.Equal(Path.GetDirectoryName(published), program.ContentRoot);
        Assert.Equal(published, searched);
    }

    [Fact]
    public void Runs_a_native_aot_worker_published_beside_the_primary_before_the_build_output()
    {
        // A Native AOT publish leaves the executable and no .dll.
        var native = Touch("primary", "worker", WorkerProgramLocator.WorkerAssemblyName);
        var buildOutput = Touch("build", WorkerDll);

        Assert.True(new WorkerProgramLocator(Path.Combine(_root, "primary"), buildOutput).TryLocate(null, out var program, out var searched));

        Assert.Equal(native, program.FileName);
        Assert.Empty(program.Arguments);
        Assert.Equal(Path.GetDirectoryName(native), program.ContentRoot);
        Assert.Equal(native, searched);
    }

    [Fact]
    public void Falls_back_to_the_build_output_and_runs_a_dll_through_dotnet()
    {
        var buildOutput = Touch("build", WorkerDll);

        Assert.True(new WorkerProgramLocator(Path.Combine(_root, "primary"), buildOutput).TryLocate(null, out var program, out _));

        Assert.Equal([buildOutput], program.Arguments);
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(program.FileName));
    }

    [Fact]
    public void A_configured_path_that_does_not_exist_is_reported_not_replaced()
    {
        Touch("primary", "worker", WorkerDll);

        var found = new WorkerProgramLocator(Path.Combine(_root, "primary"), null).TryLocate("/nowhere/app.dll", out _, out var searched);

        Assert.False(found);
        Assert.Equal("/nowhere/app.dll", searched);
    }

    private string Touch(params string[] parts)
    {
        var path = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }
}
