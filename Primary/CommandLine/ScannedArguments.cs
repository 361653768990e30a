namespace ClusterTemplate.Primary.CommandLine;

/// <summary>What <see cref="SwitchScanner"/> found on a command line.</summary>
/// <param name="Help"><c>-h</c> or <c>--help</c> was given.</param>
/// <param name="Version"><c>--version</c> was given.</param>
/// <param name="Switches">The switches it accepted, each with its value, for the configuration to read.</param>
/// <param name="Arguments">The words that are no switch and no switch's value.</param>
/// <param name="Problem">The first switch it refused, in words ("unknown option '--wrokers'"), or <see langword="null"/>.</param>
internal sealed record ScannedArguments(bool Help, bool Version, IReadOnlyList<string> Switches, IReadOnlyList<string> Arguments, string? Problem);
