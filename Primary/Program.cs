using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Control;
using ClusterTemplate.Primary.Hosting;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Proxy;
using Microsoft.Extensions.Options;

if (ControlCommandLine.IsCommand(args))
{
    return await ControlCommandLine.RunAsync(args, Console.Out, Console.Error);
}

ProxyRuntimeTuning.Apply(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddClusterPrimary(args);

WebApplication app;
try
{
    app = builder.Build();
    app.MapClusterControl();
    app.MapClusterProxy();
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
catch (Exception exception) when (RuntimeDirectoryException.Find(exception) is { } refused)
{
    Console.Error.WriteLine("error: " + refused.Message);
    return 2;
}
catch (InvalidOperationException exception) when (SettingErrors.TryDescribeBindingFailure(exception, builder.Configuration, out var message))
{
    Console.Error.WriteLine("error: " + message);
    return 2;
}

await using (app)
{
    await app.WaitForShutdownAsync();
}

return 0;
