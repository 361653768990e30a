using System.Diagnostics;
using System.Globalization;
using ClusterTemplate.TestSupport;

namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>A systemd unit file's settings (comments skipped, the last assignment of a key wins), and <c>systemd-analyze verify</c>.</summary>
internal sealed class SystemdUnit
{
    private static readonly TimeSpan s_verifyBudget = TimeSpan.FromSeconds(60);

    private readonly Dictionary<(string Section, string Key), string> _settings = [];

    private SystemdUnit(string text)
    {
        Text = text;
        var section = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"Not a unit file line: {line}");
            _settings[(section, line[..equals].Trim())] = line[(equals + 1)..].Trim();
        }
    }

    public string Text { get; }

    public static SystemdUnit Read(string path) => new(File.ReadAllText(path));

    /// <summary>The value of <paramref name="key"/> in <c>[Service]</c>, or <see langword="null"/> when it is not set.</summary>
    public string? Service(string key) => _settings.GetValueOrDefault(("Service", key));

    /// <summary>A time span as systemd writes it here: seconds, with or without <c>s</c>, or <c>min</c>.</summary>
    public static TimeSpan ParseTimeSpan(string value) =>
        value.EndsWith("min", StringComparison.Ordinal) ? TimeSpan.FromMinutes(double.Parse(value[..^3], CultureInfo.InvariantCulture))
        : TimeSpan.FromSeconds(double.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture));

    /// <summary>Where <c>systemd-analyze</c> is, if this machine has it.</summary>
    public static string? AnalyzePath => new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs <c>systemd-analyze verify</c> on a copy of the unit named <paramref name="unitName"/> whose <c>ExecStart=</c>
    /// program is <c>/bin/true</c> (verify checks that the program exists; the app is not installed here).
    /// Returns its exit code and the lines it wrote, and the systemd version.
    /// </summary>
    public async Task<(int ExitCode, IReadOnlyList<string> Lines, int Version)> VerifyAsync(string folder, string unitName)
    {
        var copy = Path.Combine(folder, unitName);
        var lines = Text.Split('\n').Select(line => line.StartsWith("ExecStart=", StringComparison.Ordinal)
            ? "ExecStart=/bin/true" + line[line.IndexOf(' ', StringComparison.Ordinal)..]
            : line);
        await File.WriteAllTextAsync(copy, string.Join('\n', lines));

        var version = await RunAsync("--version");
        var verify = await RunAsync("verify", copy);
        return (verify.ExitCode, (verify.StandardOutput + verify.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            int.Parse(version.StandardOutput.Split(' ', '\n')[1], CultureInfo.InvariantCulture));
    }

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(AnalyzePath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("systemd-analyze did not start.");
        return await ProcessRun.ToExitAsync(process, s_verifyBudget);
    }
}
