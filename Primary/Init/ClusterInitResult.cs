namespace ClusterTemplate.Primary.Init;

/// <summary>How an init run ended.</summary>
/// <param name="Succeeded">Whether it exited with 0.</param>
/// <param name="Message">One line: "the cluster init (pid 123) failed: exit code 1 after 0.8 s".</param>
/// <param name="LastLines">Its last lines of output when it failed, newest last.</param>
internal sealed record ClusterInitResult(bool Succeeded, string Message, IReadOnlyList<string> LastLines)
{
    public static ClusterInitResult Success(string message) => new(true, message, []);

    public static ClusterInitResult Fail(string message, IReadOnlyList<string> lastLines) => new(false, message, lastLines);

    /// <summary>The message and <paramref name="consequence"/>, then the last lines one per line, indented: what the start's error shows.</summary>
    public string Describe(string consequence) => LastLines.Count == 0
        ? $"{Message}; {consequence}. It wrote nothing."
        : $"{Message}; {consequence}. Its last lines:" + string.Concat(LastLines.Select(line => Environment.NewLine + "  | " + line));

    /// <summary>The message and the last lines in one line, for an operation's result; stack frames are left out, the exception's message is kept.</summary>
    public string DescribeInOneLine()
    {
        var lines = LastLines.Where(line => !IsStackFrame(line)).TakeLast(5).ToList();
        return lines.Count == 0 ? Message : Message + "; last output: " + string.Join(" | ", lines);
    }

    private static bool IsStackFrame(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("at ", StringComparison.Ordinal) || trimmed.StartsWith("--- End of ", StringComparison.Ordinal);
    }
}
