using System.Net;
using System.Net.Sockets;
using ClusterTemplate.Template.Tests.Infrastructure;

namespace ClusterTemplate.Template.Tests;

/// <summary>
/// Two apps made from the template run side by side: each gets its own dashboard, OTLP, resource-service and cluster
/// ports, picked when it is made (as Aspire's own templates do), and its dashboard asks for the login token.
/// </summary>
[Trait("Category", "Template")]
public sealed class GeneratedPortsTests(InstalledTemplateFixture template) : IClassFixture<InstalledTemplateFixture>
{
    private const string DefaultProfile = "http";
    private const string UnsecuredProfile = "http-unsecured";
    private const string AllowAnonymous = "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS";

    [Fact]
    public async Task Two_apps_get_their_own_dashboard_otlp_resource_service_and_cluster_ports()
    {
        using var work = new TempDirectory("ports");
        var repository = AppPorts.Read(Repository.Root, DefaultProfile);

        var first = await MakeAsync(work.Combine("first"), "First");

        // The engine starts at a random port of each range and takes the first free one, so two apps made while neither
        // runs draw the same port about once in 300. Holding the first app's ports, as a running first app does, makes
        // the second's choice certain to differ.
        var held = first.All.Select(entry => new TcpListener(IPAddress.Loopback, entry.Port)).ToList();
        AppPorts second;
        try
        {
            held.ForEach(listener => listener.Start());
            second = await MakeAsync(work.Combine("second"), "Second");
        }
        finally
        {
            held.ForEach(listener => listener.Dispose());
        }

        Assert.All(first.All.Zip(second.All, repository.All), ports =>
        {
            var ((name, one), (_, other), (_, literal)) = ports;
            Assert.True(one != other, $"Both apps got {name} port {one}.");
            Assert.True(one != literal && other != literal, $"An app kept the repository's {name} port {literal}.");
        });
    }

    [Fact]
    public async Task The_default_launch_profile_asks_for_the_dashboard_login_and_only_the_unsecured_one_lets_anyone_in()
    {
        using var work = new TempDirectory("login");
        var app = work.Combine("app");

        await MakeAsync(app, "Login");

        Assert.Equal(DefaultProfile, AppPorts.DefaultProfileName(app));
        Assert.DoesNotContain(AppPorts.Environment(app, DefaultProfile), variable => variable.Key.EndsWith("DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", StringComparison.Ordinal));
        Assert.Equal("true", AppPorts.Environment(app, UnsecuredProfile)[AllowAnonymous]);
        Assert.Equal(AppPorts.Read(app, DefaultProfile), AppPorts.Read(app, UnsecuredProfile));
    }

    /// <summary>Makes an app; returns its ports, after checking that its AppHost and its primary agree on the cluster's.</summary>
    private async Task<AppPorts> MakeAsync(string directory, string name)
    {
        (await template.Hive.NewAsync("-n", name, "--skip-restore", "-o", directory)).EnsureSuccess();
        var ports = AppPorts.Read(directory, DefaultProfile);
        Assert.Equal(ports.Cluster, ClusterSettings.Read(Path.Combine(directory, "Primary", "appsettings.json"))?.Port);
        return ports;
    }
}
