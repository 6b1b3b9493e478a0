using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RtcClient.Native.PortAudio;

/// <summary>
/// Silences ALSA and JACK, which print ~100 lines to stderr while PortAudio probes devices on a
/// headless machine. Both handlers are process-wide; installing them twice is harmless.
/// </summary>
internal static unsafe partial class AudioLibraryQuieting
{
    static AudioLibraryQuieting() => NativeLibraries.EnsureResolver();

    [LibraryImport("asound", EntryPoint = "snd_lib_error_set_handler")]
    private static partial int SndLibErrorSetHandler(nint handler);

    [LibraryImport("jack", EntryPoint = "jack_set_error_function")]
    private static partial void JackSetErrorFunction(nint handler);

    [LibraryImport("jack", EntryPoint = "jack_set_info_function")]
    private static partial void JackSetInfoFunction(nint handler);

    /// <summary>Installs no-op handlers where the libraries exist; a missing library is not an error.</summary>
    public static void Install()
    {
        if (!OperatingSystem.IsLinux())
            return;
        if (NativeLibraries.IsAvailable(NativeLibraries.Alsa))
            _ = SndLibErrorSetHandler((nint)(delegate* unmanaged[Cdecl]<nint, int, nint, int, nint, void>)&IgnoreAlsa);
        if (NativeLibraries.IsAvailable(NativeLibraries.Jack))
        {
            JackSetErrorFunction((nint)(delegate* unmanaged[Cdecl]<nint, void>)&IgnoreJack);
            JackSetInfoFunction((nint)(delegate* unmanaged[Cdecl]<nint, void>)&IgnoreJack);
        }
    }

    // ALSA's handler is variadic (file, line, function, err, fmt, ...); the fixed part is all we receive.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void IgnoreAlsa(nint file, int line, nint function, int err, nint fmt)
    {
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void IgnoreJack(nint message)
    {
    }
}
