using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using ClusterTemplate.AppHost.Tests.Infrastructure;
using ClusterTemplate.TestSupport;

namespace ClusterTemplate.AppHost.Tests;

/// <summary>
/// The dashboard runs commands on the cluster (restart, scale), so `dotnet run --project AppHost` keeps Aspire's default:
/// nobody gets in without the login link the AppHost prints, with its browser token.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class DashboardLoginTests
{
    [Fact]
    public async Task The_default_launch_profile_refuses_anonymous_visitors_and_prints_a_login_link_with_a_token()
    {
        // The launch profile's settings, on ports of this test's own.
        var dashboard = new Uri($"http://localhost:{FreePort.Next()}");
        await using var appHost = AppHostRun.Start(
            "--ASPNETCORE_URLS=" + dashboard.OriginalString,
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
            "--Cluster:Port=" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            "--Cluster:Workers=1");

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = dashboard, Timeout = TestBudgets.Request };
        using var anonymous = await FirstAnswerAsync(browser, appHost, TestBudgets.Startup);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/login", new Uri(dashboard, anonymous.Headers.Location!).AbsolutePath);

        var line = await appHost.WaitForLineAsync(text => LoginLink().IsMatch(text), TestBudgets.Startup);
        var login = new Uri(LoginLink().Match(line).Value);
        Assert.Equal(dashboard.Authority, login.Authority);
        using var withToken = await browser.GetAsync(login);
        Assert.Equal(HttpStatusCode.Redirect, withToken.StatusCode);
        Assert.True(withToken.Headers.Contains("Set-Cookie"), "The login link with the token did not sign the browser in.");
    }

    /// <summary>The dashboard's answer to <c>GET /</c>, once it listens.</summary>
    private static async Task<HttpResponseMessage> FirstAnswerAsync(HttpClient browser, AppHostRun appHost, TimeSpan budget)
    {
        using var timeout = new CancellationTokenSource(budget);
        while (true)
        {
            try
            {
                return await browser.GetAsync(new Uri("/", UriKind.Relative), timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or SocketException && !timeout.IsCancellationRequested)
            {
                // Not listening yet: DCP starts the dashboard after the AppHost. A connection the starting dashboard drops
                // at once can surface as a bare SocketException (ENOTCONN reading its remote end point), not wrapped by HttpClient.
                await Task.Delay(TestBudgets.PollInterval, CancellationToken.None);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"The dashboard did not answer within {budget}:\n" + string.Join('\n', appHost.Output.TakeLast(40)));
            }
        }
    }

    [GeneratedRegex(@"http://\S+/login\?t=[0-9a-f]{16,}")]
    private static partial Regex LoginLink();
}
