using System.Globalization;
using ClusterTemplate.Primary.Processes;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// A shell script that execs the real worker, to pass as <c>--worker-path</c>: the test can run lines
/// before the exec, or make the program unstartable under a running primary. Disposing it kills the
/// background processes the script recorded and deletes it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class WorkerScript : IDisposable
{
    private readonly string _directory;

    private WorkerScript(string directory)
    {
        _directory = directory;
        Path = System.IO.Path.Combine(directory, "worker.sh");
        BackgroundPidFile = System.IO.Path.Combine(directory, "background.pids");
    }

    /// <summary>The script, for <c>--worker-path</c>.</summary>
    public string Path { get; }

    /// <summary>Where a line before the exec appends the pid of a background process it starts.</summary>
    public string BackgroundPidFile { get; }

    /// <summary>Writes an executable script that runs <paramref name="linesBeforeExec"/> and then execs the worker.</summary>
    public static WorkerScript Create(params string[] linesBeforeExec)
    {
        Assert.True(new WorkerProgramLocator().TryLocate(TestWorker.Override, out var program, out var searched), "no worker build output in " + searched);
        var script = new WorkerScript(Directory.CreateTempSubdirectory("ct-script-").FullName);
        var exec = string.Join(' ', new[] { program.FileName }.Concat(program.Arguments).Select(Quote));
        string[] lines =
        [
            "#!/bin/sh",
            // A wrapper names the app's folder itself: the primary sets it to the folder of the program it starts, the script's.
            "export ASPNETCORE_CONTENTROOT=" + Quote(program.ContentRoot),
            .. linesBeforeExec.Select(line => line.Replace("{pidfile}", Quote(script.BackgroundPidFile), StringComparison.Ordinal)),
            $"exec {exec} \"$@\"",
        ];
        File.WriteAllText(script.Path, string.Join('\n', lines) + "\n");
        File.SetUnixFileMode(script.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    /// <summary>Takes the execute permission away: the next start of the worker fails with EACCES.</summary>
    public void MakeUnexecutable() => File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>The pids the script's lines recorded in <see cref="BackgroundPidFile"/>.</summary>
    public IReadOnlyList<int> BackgroundPids() =>
        File.Exists(BackgroundPidFile)
            ? [.. File.ReadAllLines(BackgroundPidFile).Where(line => line.Length > 0).Select(line => int.Parse(line, CultureInfo.InvariantCulture))]
            : [];

    public void Dispose()
    {
        foreach (var pid in BackgroundPids())
        {
            UnixSignals.Send(pid, 9);
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
