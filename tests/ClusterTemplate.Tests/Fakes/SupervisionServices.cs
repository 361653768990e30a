using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Supervision;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterTemplate.Tests.Fakes;

/// <summary>The primary's supervision services as the host registers them, with the test's settings and replacements.</summary>
internal static class SupervisionServices
{
    public static ServiceProvider Build(ClusterOptions options, Action<IServiceCollection>? replace = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(Options.Create(options));
        services.AddClusterSupervision();
        replace?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
