using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Control;
using ClusterTemplate.Primary.Hosting;
using ClusterTemplate.Primary.Listeners;
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

await using (app)
{
    await app.WaitForShutdownAsync();
}

return 0;
