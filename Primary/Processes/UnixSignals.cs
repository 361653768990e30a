using System.Runtime.InteropServices;

namespace ClusterTemplate.Primary.Processes;

/// <summary>Sends POSIX signals; .NET's <c>Process</c> has SIGKILL only.</summary>
internal static partial class UnixSignals
{
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>; false if the process is gone.</summary>
    public static bool Send(int processId, int signal) => kill(processId, signal) == 0;

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // A single blittable call; DllImport keeps AllowUnsafeBlocks off.
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
