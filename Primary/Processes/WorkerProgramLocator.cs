using System.Reflection;

namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// Finds the Worker program without the user typing a path: a configured path first, then the
/// <c>worker/</c> folder a <c>dotnet publish</c> of the primary lays beside it (the Worker's <c>.dll</c>, or its
/// native executable when it was published as Native AOT), then the Worker project's own build output recorded
/// when the primary was built.
/// </summary>
public sealed class WorkerProgramLocator
{
    /// <summary>The folder beside the primary where <c>dotnet publish</c> puts the worker.</summary>
    public const string PublishedWorkerFolder = "worker";

    /// <summary>The metadata key under which the build records the Worker project's output.</summary>
    public const string BuildOutputMetadataKey = "ClusterWorkerPath";

    private readonly string _baseDirectory;
    private readonly string? _buildOutputPath;

    /// <summary>Creates a locator that searches beside the running primary.</summary>
    public WorkerProgramLocator()
        : this(AppContext.BaseDirectory, ReadBuildOutputPath())
    {
    }

    internal WorkerProgramLocator(string baseDirectory, string? buildOutputPath)
    {
        _baseDirectory = baseDirectory;
        _buildOutputPath = buildOutputPath;
    }

    /// <summary>Locates the worker program; on failure <paramref name="searched"/> lists where it looked.</summary>
    public bool TryLocate(string? configuredPath, out WorkerProgram program, out string searched)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            candidates.Add(Path.GetFullPath(configuredPath));
        }
        else
        {
            var published = Path.Combine(_baseDirectory, PublishedWorkerFolder, WorkerAssemblyName);
            candidates.Add(published + ".dll");
            candidates.Add(published + (OperatingSystem.IsWindows() ? ".exe" : ""));
            if (_buildOutputPath is not null)
            {
                candidates.Add(_buildOutputPath);
            }
        }

        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                program = ToProgram(candidate);
                searched = candidate;
                return true;
            }
        }

        program = null!;
        searched = string.Join(", ", candidates);
        return false;
    }

    /// <summary>The Worker's assembly name, renamed with the rest by the template engine.</summary>
    internal static string WorkerAssemblyName => "ClusterTemplate.Worker";

    private static WorkerProgram ToProgram(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return new WorkerProgram(path, [], directory);
        }

        // Prefer the app host next to the .dll: the worker then shows under its own name in ps and top.
        var appHost = Path.Combine(directory, Path.GetFileNameWithoutExtension(path) + (OperatingSystem.IsWindows() ? ".exe" : ""));
        if (File.Exists(appHost))
        {
            return new WorkerProgram(appHost, [], directory);
        }

        return new WorkerProgram(DotnetHostPath(), [path], directory);
    }

    /// <summary>Whether <paramref name="path"/> has an execute permission bit (always true on Windows).</summary>
    internal static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static string DotnetHostPath()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath)
        {
            return hostPath;
        }

        var processPath = Environment.ProcessPath;
        return processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
    }

    private static string? ReadBuildOutputPath() =>
        typeof(WorkerProgramLocator).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == BuildOutputMetadataKey)?.Value;
}
