using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Control;
using ClusterTemplate.Primary.Hosting;
using ClusterTemplate.Primary.Proxy;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddClusterPrimary(args);

await using var app = builder.Build();
app.MapClusterControl();
app.MapClusterProxy();

try
{
    await app.StartAsync();
}
catch (OptionsValidationException exception)
{
    foreach (var failure in exception.Failures)
    {
        Console.Error.WriteLine("error: " + failure);
    }

    return 2;
}
catch (InvalidOperationException exception) when (SettingErrors.TryDescribeBindingFailure(exception, app.Configuration, out var message))
{
    Console.Error.WriteLine("error: " + message);
    return 2;
}

await app.WaitForShutdownAsync();
return 0;
