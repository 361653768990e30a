namespace ClusterTemplate.Primary.CommandLine;

/// <summary>
/// Checks switches against the grammar of the configuration's command-line provider, which is what reads their
/// values (<c>--name value</c>, <c>--name=value</c>), so that a switch accepted here is never one it ignores.
/// Accepts the given short switches and configuration paths (<c>--Section:Key</c>), and refuses the rest.
/// </summary>
/// <remarks>
/// A general-purpose parser reads more than the provider does (<c>--name:value</c>, <c>@response-file</c>,
/// <c>-abc</c> bundles): whatever it accepted and the provider then ignored would be lost silently again.
/// </remarks>
internal static class SwitchScanner
{
    /// <summary>Scans <paramref name="args"/>; <paramref name="switches"/> are the short switches accepted (case-insensitive).</summary>
    public static ScannedArguments Scan(IReadOnlyList<string> args, IReadOnlyCollection<string> switches)
    {
        bool help = false, version = false;
        var accepted = new List<string>();
        var arguments = new List<string>();
        string? problem = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            if (arg == "-h" || arg.Equals("--help", StringComparison.OrdinalIgnoreCase))
            {
                help = true;
            }
            else if (arg.Equals("--version", StringComparison.OrdinalIgnoreCase))
            {
                version = true;
            }
            else if (!IsSwitch(arg))
            {
                arguments.Add(arg);
            }
            else if (!switches.Contains(name, StringComparer.OrdinalIgnoreCase) && !IsConfigurationPath(name))
            {
                problem ??= $"unknown option '{name}'";
            }
            else if (arg.Contains('='))
            {
                accepted.Add(arg);
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                accepted.Add(arg);
                accepted.Add(args[++i]);
            }
            else
            {
                // The provider would take the next switch as this one's value, or drop this one at the end.
                problem ??= $"option '{name}' needs a value";
            }
        }

        return new(help, version, accepted, arguments, problem);
    }

    /// <summary>A switch starts with <c>-</c>; a negative number (<c>scale -1</c>) is a word.</summary>
    private static bool IsSwitch(string arg) => arg.StartsWith('-') && !(arg.Length > 1 && char.IsAsciiDigit(arg[1]));

    /// <summary><c>--Cluster:Workers</c>, <c>--Logging:LogLevel:Default</c>: a configuration key of two or more segments.</summary>
    private static bool IsConfigurationPath(string name) =>
        name.StartsWith("--", StringComparison.Ordinal) && name[2..].Split(':') is { Length: > 1 } segments && segments.All(segment => segment.Length > 0 && !segment.Any(char.IsWhiteSpace));
}
