using ClusterTemplate.Primary.CommandLine;
using ClusterTemplate.Primary.Control;
using ClusterTemplate.Primary.Hosting;
using ClusterTemplate.Primary.Init;
using ClusterTemplate.Primary.Listeners;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Primary.Proxy;
using Microsoft.Extensions.Options;

// Help, the version, a command for a running primary, or a command line it cannot read: nothing to run.
if (await PrimaryCommandLine.RunAsync(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

ProxyRuntimeTuning.Apply(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddClusterPrimary(args);

WebApplication? app = null;
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
catch (Exception exception) when (ClusterInitFailedException.Find(exception) is { } initFailed)
{
    // No worker was started; the runtime folder and its lock go with the app.
    Console.Error.WriteLine("error: " + initFailed.Message);
    await app!.DisposeAsync();
    return 1;
}
catch (Exception exception) when (RuntimeDirectoryException.Find(exception) is { } refused)
{
    Console.Error.WriteLine("error: " + refused.Message);
    return 2;
}

await using (app)
{
    await app.WaitForShutdownAsync();
}

return 0;
