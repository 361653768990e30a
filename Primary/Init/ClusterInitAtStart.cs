using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Primary.Init;

/// <summary>
/// Runs the init before the supervisor starts the workers (registered before it), once the runtime folder and its
/// lock are this primary's; a failure stops the host's start with <see cref="ClusterInitFailedException"/>.
/// </summary>
internal sealed class ClusterInitAtStart(ClusterInit init, ClusterRuntimeDirectory runtimeDirectory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!init.RunsAtStart)
        {
            return;
        }

        GC.KeepAlive(runtimeDirectory);
        var result = await init.RunAsync("start", cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ClusterInitFailedException(result);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
