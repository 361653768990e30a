using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Listeners;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Tests.Listeners;

[Trait("Category", "Unit")]
public sealed class ListenerMigrationTests : IDisposable
{
    private readonly string _sysctl = Path.GetTempFileName();

    public void Dispose() => File.Delete(_sysctl);

    [Fact]
    public void Turns_migration_on_when_it_is_off_and_allowed()
    {
        File.WriteAllText(_sysctl, "0\n");

        var on = Migration(enable: true).Ensure();

        Assert.True(on);
        Assert.Equal("1", File.ReadAllText(_sysctl).Trim());
    }

    [Fact]
    public void Leaves_the_kernel_alone_when_told_to()
    {
        File.WriteAllText(_sysctl, "0\n");

        var on = Migration(enable: false).Ensure();

        Assert.False(on);
        Assert.Equal("0", File.ReadAllText(_sysctl).Trim());
    }

    [Fact]
    public void Reports_a_kernel_without_the_setting()
    {
        File.Delete(_sysctl);

        Assert.False(Migration(enable: true).Ensure());
    }

    private ListenerMigration Migration(bool enable) =>
        new(Options.Create(new ClusterOptions { EnableListenerMigration = enable }), NullLogger<ListenerMigration>.Instance) { Path = _sysctl };
}
