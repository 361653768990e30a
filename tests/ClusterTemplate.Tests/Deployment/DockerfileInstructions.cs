using System.Text.Json;

namespace ClusterTemplate.Tests.Deployment;

/// <summary>
/// A Dockerfile read as the builder reads it: comments dropped, continued lines joined, one instruction per entry.
/// Only what the tests check is interpreted: the final stage's base image, folder, user, environment, ports and
/// entry point.
/// </summary>
internal sealed class DockerfileInstructions
{
    private DockerfileInstructions(IReadOnlyList<(string Name, string Arguments)> instructions) => Instructions = instructions;

    public IReadOnlyList<(string Name, string Arguments)> Instructions { get; }

    /// <summary>The instructions after the last <c>FROM</c>: the image that ships.</summary>
    public IReadOnlyList<(string Name, string Arguments)> FinalStage =>
        [.. Instructions.Skip(Instructions.Select((instruction, index) => (instruction, index)).Last(entry => entry.instruction.Name == "FROM").index)];

    /// <summary>Every stage's base image and name: <c>FROM image AS name</c>.</summary>
    public IReadOnlyList<(string Image, string? Name)> Stages =>
        [.. Instructions.Where(instruction => instruction.Name == "FROM").Select(instruction => instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(words => (words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null))];

    public string BaseImage => Stages[^1].Image;

    public string WorkingDirectory => Last("WORKDIR");

    public string User => Last("USER");

    /// <summary>The exec form of <c>ENTRYPOINT</c>, which takes signals itself (no shell in between).</summary>
    public IReadOnlyList<string> Entrypoint => JsonSerializer.Deserialize<string[]>(Last("ENTRYPOINT"))!;

    /// <summary>The final stage's <c>ENV name=value</c> pairs (values without spaces or quotes).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        FinalStage.Where(instruction => instruction.Name == "ENV")
            .SelectMany(instruction => instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    public IReadOnlyList<int> ExposedPorts =>
        [.. FinalStage.Where(instruction => instruction.Name == "EXPOSE")
            .SelectMany(instruction => instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(port => int.Parse(port.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture))];

    public static DockerfileInstructions Read(string path)
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + " ";
                continue;
            }

            line = pending + line;
            pending = "";
            if (line.Length > 0)
            {
                var space = line.IndexOf(' ');
                instructions.Add((line[..space].ToUpperInvariant(), line[(space + 1)..].Trim()));
            }
        }

        return new(instructions);
    }

    private string Last(string name) => FinalStage.Last(instruction => instruction.Name == name).Arguments;
}
