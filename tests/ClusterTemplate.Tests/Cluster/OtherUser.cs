using System.Diagnostics;
using System.Runtime.InteropServices;
using ClusterTemplate.TestSupport;

namespace ClusterTemplate.Tests.Cluster;

/// <summary>
/// Another local user (<c>nobody</c>), for tests of what the primary lets other users do. Acting as that user
/// takes root: the commands run through <c>setpriv</c>, and files are handed to it with <c>chown</c>.
/// </summary>
internal static class OtherUser
{
    public const int Id = 65534;

    private static readonly TimeSpan s_commandBudget = TimeSpan.FromSeconds(20);

    /// <summary>The uid this test run has.</summary>
    public static uint CurrentId => geteuid();

    /// <summary>Whether this test run may act as another user.</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux() && geteuid() == 0 && File.Exists("/usr/bin/setpriv");

    /// <summary>The command that runs the rest of a command line as <c>nobody</c>, with no other group; it execs, so the pid is the program's.</summary>
    public static string[] Launcher => ["/usr/bin/setpriv", $"--reuid={Id}", $"--regid={Id}", "--clear-groups", "--"];

    /// <summary>Runs <paramref name="command"/> as <c>nobody</c> and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(params string[] command)
    {
        var startInfo = new ProcessStartInfo(Launcher[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in Launcher.Skip(1).Concat(command))
        {
            startInfo.ArgumentList.Add(part);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("setpriv did not start.");
        return await ProcessRun.ToExitAsync(process, s_commandBudget);
    }

    /// <summary>Makes a folder as <c>nobody</c> would, with <paramref name="mode"/> (octal, as <c>mkdir -m</c> takes it).</summary>
    public static async Task CreateFolderAsync(string path, string mode)
    {
        var (exitCode, _, stderr) = await RunAsync("mkdir", "-m", mode, path);
        Assert.True(exitCode == 0, $"mkdir as nobody failed: {stderr}");
    }

    /// <summary>Hands <paramref name="path"/> to <c>nobody</c> (its user and group), as root does with <c>chown</c>.</summary>
    public static async Task GiveAsync(string path)
    {
        using var process = Process.Start("/bin/chown", [$"{Id}:{Id}", path]);
        await process.WaitForExitAsync().WaitAsync(s_commandBudget);
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>The owner of <paramref name="path"/> itself (a link is not followed).</summary>
    public static int OwnerOf(string path)
    {
        var buffer = new byte[256];
        Assert.Equal(0, statx(-100, path, 0x100, 0x8, buffer));
        return BitConverter.ToInt32(buffer, 20);
    }

#pragma warning disable SYSLIB1054 // Test-only libc calls; DllImport keeps AllowUnsafeBlocks off.
    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directory, string path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054
}
