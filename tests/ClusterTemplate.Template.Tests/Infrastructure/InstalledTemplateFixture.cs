namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>The template installed from the repository folder into a private hive, shared by a test class.</summary>
public sealed class InstalledTemplateFixture : IAsyncLifetime
{
    internal TemplateHive Hive { get; } = new();

    public async Task InitializeAsync() => (await Hive.InstallAsync(Repository.Root)).EnsureSuccess();

    public async Task DisposeAsync()
    {
        await Hive.UninstallAsync(Repository.Root);
        Hive.Dispose();
    }
}
