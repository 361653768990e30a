using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ClusterTemplate.Shared.Control;

/// <summary>
/// The prefix <c>[worker N pid P] </c> that the primary puts before each line of a worker's output
/// when it passes that output through its own standard output (<c>Cluster:EchoWorkerOutput</c>, on by default).
/// </summary>
public static class WorkerOutputPrefix
{
    private const string Opening = "[worker ";
    private const string PidSeparator = " pid ";
    private const string Closing = "] ";

    /// <summary>The prefix of the lines of worker <paramref name="workerId"/>'s process <paramref name="processId"/>, its trailing space included.</summary>
    public static string Format(int workerId, int processId) =>
        string.Create(CultureInfo.InvariantCulture, $"{Opening}{workerId}{PidSeparator}{processId}{Closing}");

    /// <summary>
    /// Finds the prefix in <paramref name="line"/>, also after whatever a log collector put before the
    /// primary's line (a timestamp), and gives the worker and the worker's own text after the prefix.
    /// </summary>
    public static bool TryParse(string line, out int workerId, [NotNullWhen(true)] out string? text)
    {
        ArgumentNullException.ThrowIfNull(line);
        for (var at = line.IndexOf(Opening, StringComparison.Ordinal); at >= 0; at = line.IndexOf(Opening, at + 1, StringComparison.Ordinal))
        {
            var rest = line.AsSpan(at + Opening.Length);
            if (TakeNumber(ref rest, out workerId) && Take(ref rest, PidSeparator) && TakeNumber(ref rest, out _) && Take(ref rest, Closing))
            {
                text = line[^rest.Length..];
                return true;
            }
        }

        workerId = 0;
        text = null;
        return false;
    }

    private static bool Take(ref ReadOnlySpan<char> rest, string expected)
    {
        if (!rest.StartsWith(expected, StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[expected.Length..];
        return true;
    }

    private static bool TakeNumber(ref ReadOnlySpan<char> rest, out int value)
    {
        var length = rest.IndexOfAnyExceptInRange('0', '9');
        if (length < 0)
        {
            length = rest.Length;
        }

        if (length == 0 || !int.TryParse(rest[..length], NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            value = 0;
            return false;
        }

        rest = rest[length..];
        return true;
    }
}
