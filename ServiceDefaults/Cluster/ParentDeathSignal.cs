using System;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ClusterTemplate.ServiceDefaults.Cluster;

/// <summary>
/// Has the kernel SIGKILL this worker the moment its primary dies (Linux: <c>prctl(PR_SET_PDEATHSIG)</c>).
/// Unlike the stdin watchdog (<see cref="PrimaryWatchdog"/>), that needs nothing from the worker, so it
/// also ends a worker that is stopped (SIGSTOP) or whose thread pool is starved. Where there is no
/// such call, the watchdog is the only lifeline.
/// </summary>
internal static class ParentDeathSignal
{
    private const int SetParentDeathSignal = 1; // PR_SET_PDEATHSIG
    private const int SigKill = 9;
    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>Asks for the signal; exits at once if the primary already died before it could be asked for.</summary>
    public static void Arm(ClusterWorkerContext context)
    {
        if (!OperatingSystem.IsLinux() || context.PrimaryProcessId <= 0 || prctl(SetParentDeathSignal, SigKill, 0, 0, 0) != 0)
        {
            return;
        }

        // A primary that died between our fork and the prctl sends no signal: we were re-parented already.
        // A parent that is not the primary but a wrapper that did not exec is fine while the primary lives.
        if (getppid() != context.PrimaryProcessId && kill(context.PrimaryProcessId, 0) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(context.IsInit ? "Init" : "Worker " + context.WorkerId)}: primary {context.PrimaryProcessId} is gone before the worker started; exiting."));
            Environment.Exit(1);
        }
    }

#pragma warning disable SYSLIB1054 // Blittable calls; DllImport keeps AllowUnsafeBlocks off.
    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc")]
    private static extern int getppid();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
