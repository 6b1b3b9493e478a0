using System.Runtime.InteropServices;

namespace RtcClient.Media.Clock;

/// <summary>
/// Raises the calling thread's scheduling priority where the OS lets the process do so. On Linux
/// <see cref="Thread.Priority"/> changes nothing, so the media clock asks for a nice value of −10 for its
/// own thread (setpriority(2) on the thread id; needs CAP_SYS_NICE, else it stays at the default): a
/// thread that sleeps most of each tick then runs its tick to the end instead of being time-sliced with
/// every busy thread of the machine. Elsewhere <see cref="Thread.Priority"/> is the mechanism.
/// </summary>
internal static partial class ClockThreadPriority
{
    private const int PrioProcess = 0;
    private const int LinuxNice = -10;

    /// <summary>True when the current thread's priority was raised.</summary>
    public static bool TryRaiseCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return SetPriority(PrioProcess, GetTid(), LinuxNice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
