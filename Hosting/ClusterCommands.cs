using System.Globalization;
using ClusterTemplate.Shared.Control;

namespace ClusterTemplate.Hosting;

/// <summary>The dashboard commands of a cluster: on each worker row, and on the primary.</summary>
internal static class ClusterCommands
{
    /// <summary>Replaces one worker (start the new process, wait until it is ready, then drain the old one).</summary>
    public const string RestartWorker = "restart-worker";

    /// <summary>Replaces every worker, one at a time, each replacement ready before its predecessor drains.</summary>
    public const string RollingRestart = "rolling-restart";

    /// <summary>Scales the cluster to a number of workers (argument <see cref="WorkersArgument"/>).</summary>
    public const string Scale = "scale";

    /// <summary>Adds one worker.</summary>
    public const string ScaleUp = "scale-up";

    /// <summary>Removes the highest-numbered worker.</summary>
    public const string ScaleDown = "scale-down";

    /// <summary>The argument of <see cref="Scale"/>: the number of workers wanted.</summary>
    public const string WorkersArgument = "workers";

    public static void AddWorkerCommands(ClusterWorkerResource worker, ClusterAnnotation cluster)
    {
        worker.Annotations.Add(new ResourceCommandAnnotation(
            name: RestartWorker,
            displayName: "Restart worker",
            updateState: context => context.ResourceSnapshot.IsHidden || context.ResourceSnapshot.State?.Text == ClusterWorkerProperties.UnknownState
                ? ResourceCommandState.Disabled
                : ResourceCommandState.Enabled,
            executeCommand: context => RunAsync(cluster.Client.RestartWorkerAsync(worker.WorkerId, context.CancellationToken)),
            displayDescription: "Start a replacement, wait until it is ready, then drain this worker.",
            parameter: null,
            confirmationMessage: null,
            iconName: "ArrowCounterclockwise",
            iconVariant: IconVariant.Regular,
            isHighlighted: true));
    }

    public static IResourceBuilder<ClusterResource> WithClusterCommands(this IResourceBuilder<ClusterResource> primary, ClusterAnnotation cluster)
    {
        static ResourceCommandState WhenRunning(UpdateCommandStateContext context) =>
            context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

        primary.WithCommand(RollingRestart, "Rolling restart", context => RunAsync(cluster.Client.RollingRestartAsync(context.CancellationToken)), new CommandOptions
        {
            Description = "Replace every worker, one at a time; each replacement is ready before its predecessor drains.",
            ConfirmationMessage = "Replace every worker of the cluster, one at a time?",
            IconName = "ArrowSync",
            UpdateState = WhenRunning,
        });

        primary.WithCommand(Scale, "Scale", context => ScaleAsync(cluster, context), new CommandOptions
        {
            Description = "Set the number of workers.",
            IconName = "ArrowAutofitWidth",
            UpdateState = WhenRunning,
            Arguments =
            [
                new InteractionInput
                {
                    Name = WorkersArgument,
                    Label = "Workers",
                    InputType = InputType.Number,
                    Required = true,
                    Description = "The number of worker processes (1..256).",
                },
            ],
        });

        primary.WithCommand(ScaleUp, "Add a worker", context => ScaleByAsync(cluster, +1, context.CancellationToken), new CommandOptions
        {
            IconName = "Add",
            UpdateState = WhenRunning,
        });

        primary.WithCommand(ScaleDown, "Remove a worker", context => ScaleByAsync(cluster, -1, context.CancellationToken), new CommandOptions
        {
            IconName = "Subtract",
            UpdateState = WhenRunning,
        });

        return primary;
    }

    private static Task<ExecuteCommandResult> ScaleAsync(ClusterAnnotation cluster, ExecuteCommandContext context)
    {
        var value = context.Arguments?.GetString(WorkersArgument);
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var workers) || workers < 1)
        {
            return Task.FromResult(CommandResults.Failure($"'{value}' is not a number of workers (a whole number of 1 or more)."));
        }

        return RunAsync(cluster.Client.ScaleAsync(workers, context.CancellationToken));
    }

    private static async Task<ExecuteCommandResult> ScaleByAsync(ClusterAnnotation cluster, int delta, CancellationToken cancellationToken)
    {
        var status = await cluster.Client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(cluster.Client.ScaleAsync(Math.Max(1, status.Workers.Count + delta), cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<ExecuteCommandResult> RunAsync(Task<ClusterOperationResult> operation)
    {
        try
        {
            var result = await operation.ConfigureAwait(false);
            return result.Succeeded ? CommandResults.Success(result.Message) : CommandResults.Failure(result.Message);
        }
        catch (HttpRequestException exception)
        {
            return CommandResults.Failure("the primary's control socket did not answer: " + exception.Message);
        }
    }
}
