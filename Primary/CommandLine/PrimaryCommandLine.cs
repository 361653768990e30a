using System.Globalization;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Control;

namespace ClusterTemplate.Primary.CommandLine;

/// <summary>
/// What the primary's command line asks for: help, the version, a command for a running primary, or a cluster
/// to run. What it cannot read (an unknown switch or command, a command's missing argument, a settings file that
/// is no JSON) is refused with one line and exit code 2 before anything starts.
/// </summary>
internal static class PrimaryCommandLine
{
    private const string HelpCommand = "help";

    /// <summary>A primary's switches: the short forms of the settings, and the host's own <c>--environment</c>.</summary>
    private static readonly string[] s_primarySwitches = [.. ClusterCommandLine.SwitchMappings.Keys, "--environment"];

    /// <summary>A command's switches: where the running primary is.</summary>
    private static readonly string[] s_commandSwitches = ["--port", "--runtime-directory"];

    /// <summary><c>status --json</c>: the status as the control API answers it, for scripts. A flag, which the scanner has no form for.</summary>
    public const string JsonFlag = "--json";

    /// <summary>Does what <paramref name="args"/> ask unless it is to run a cluster; returns the exit code, or <see langword="null"/> to run one.</summary>
    public static async Task<int?> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            return await RunCommandAsync(args[0], args[1..], output, error);
        }

        var scan = SwitchScanner.Scan(args, s_primarySwitches);
        if (scan.Help || scan.Version)
        {
            await output.WriteAsync(scan.Help ? UsageText.Primary() : UsageText.Version + Environment.NewLine);
            return 0;
        }

        if ((scan.Problem ?? scan.Arguments.Select(argument => $"unexpected argument '{argument}'").FirstOrDefault()) is { } problem)
        {
            return await FailAsync(error, problem + "; see --help");
        }

        // The host would throw its stack trace at a settings file it cannot read: read them first, and say why.
        return await ReadSettingsAsync(scan.Switches, error) is null ? 2 : null;
    }

    private static async Task<int> RunCommandAsync(string name, string[] args, TextWriter output, TextWriter error)
    {
        if (string.Equals(name, HelpCommand, StringComparison.OrdinalIgnoreCase))
        {
            // "help" alone or with options is --help; "help <command>" is "<command> --help".
            if (args.Length == 0 || args[0].StartsWith('-'))
            {
                await output.WriteAsync(UsageText.Primary());
                return 0;
            }

            if (ControlVerb.Find(args[0]) is not { } described)
            {
                return await FailAsync(error, UnknownCommand(args[0]));
            }

            await output.WriteAsync(UsageText.For(described));
            return 0;
        }

        if (ControlVerb.Find(name) is not { } verb)
        {
            return await FailAsync(error, UnknownCommand(name));
        }

        var json = verb == ControlVerb.Status && args.Contains(JsonFlag, StringComparer.OrdinalIgnoreCase);
        var scan = SwitchScanner.Scan(json ? [.. args.Where(arg => !arg.Equals(JsonFlag, StringComparison.OrdinalIgnoreCase))] : args, s_commandSwitches);
        if (scan.Help || scan.Version)
        {
            await output.WriteAsync(scan.Help ? UsageText.For(verb) : UsageText.Version + Environment.NewLine);
            return 0;
        }

        var seeUsage = $"; see {verb.Name} --help";
        if (scan.Problem is { } problem)
        {
            return await FailAsync(error, $"{problem} for {verb.Name}{seeUsage}");
        }

        if (scan.Arguments.Skip(verb.Argument is null ? 0 : 1).FirstOrDefault() is { } extra)
        {
            return await FailAsync(error, $"unexpected argument '{extra}' for {verb.Name}{seeUsage}");
        }

        var argument = 0;
        if (verb.Argument is not null && !int.TryParse(scan.Arguments.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out argument))
        {
            var got = scan.Arguments.Count == 0 ? "nothing" : $"'{scan.Arguments[0]}'";
            return await FailAsync(error, $"usage: {verb.Synopsis}, {verb.Accepted} (got {got}){seeUsage}");
        }

        return await ReadSettingsAsync(scan.Switches, error) is { } settings
            ? await ControlCommandLine.RunAsync(verb, argument, settings, portGiven: scan.Switches.Count > 0, output, error, json)
            : 2;
    }

    /// <summary>The settings, or <see langword="null"/> after one line for each settings file that cannot be read.</summary>
    private static async Task<IConfiguration?> ReadSettingsAsync(IEnumerable<string> switches, TextWriter error)
    {
        var unreadable = new List<string>();
        var settings = ClusterCommandLine.ReadSettings(switches, unreadable);
        foreach (var file in unreadable)
        {
            await error.WriteLineAsync("error: " + file);
        }

        return unreadable.Count == 0 ? settings : null;
    }

    private static string UnknownCommand(string name) => $"unknown command '{name}'; commands: {UsageText.Commands}; see --help";

    private static async Task<int> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync("error: " + message);
        return 2;
    }
}
