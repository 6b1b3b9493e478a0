using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RtcClient.Native;

/// <summary>
/// The one place that knows native library file names per OS. Bindings in this assembly load through
/// <see cref="NativeLibrary.SetDllImportResolver"/>, which tries the versioned sonames verified on
/// Debian 12 first (the unversioned names only exist with the -dev packages).
/// </summary>
public static class NativeLibraries
{
    /// <summary>libopus (Debian package libopus0).</summary>
    public static readonly NativeLibrarySpec Opus = new("opus", "libopus0", OsNames(
        linux: ["libopus.so.0", "libopus.so"], windows: ["opus.dll", "libopus-0.dll"], mac: ["libopus.0.dylib", "libopus.dylib"]));

    /// <summary>OpenH264 (Debian package libopenh264-7).</summary>
    public static readonly NativeLibrarySpec OpenH264 = new("openh264", "libopenh264-7", OsNames(
        linux: ["libopenh264.so.7", "libopenh264.so"], windows: ["openh264-2.3.1-win64.dll", "openh264.dll"], mac: ["libopenh264.7.dylib", "libopenh264.dylib"]));

    /// <summary>PortAudio v19 (Debian package libportaudio2).</summary>
    public static readonly NativeLibrarySpec PortAudio = new("portaudio", "libportaudio2", OsNames(
        linux: ["libportaudio.so.2", "libportaudio.so"], windows: ["portaudio.dll", "libportaudio.dll"], mac: ["libportaudio.2.dylib", "libportaudio.dylib"]));

    /// <summary>ALSA (Debian package libasound2); only used to silence its error printing on Linux.</summary>
    public static readonly NativeLibrarySpec Alsa = new("asound", "libasound2", OsNames(
        linux: ["libasound.so.2"], windows: [], mac: []));

    /// <summary>JACK client library (Debian package libjack-jackd2-0); optional, only to silence it.</summary>
    public static readonly NativeLibrarySpec Jack = new("jack", "libjack-jackd2-0", OsNames(
        linux: ["libjack.so.0"], windows: [], mac: []));

    private static readonly NativeLibrarySpec[] Known = [Opus, OpenH264, PortAudio, Alsa, Jack];
    private static readonly ConcurrentDictionary<string, nint> Loaded = new(StringComparer.Ordinal);
    private static int registered;

    /// <summary>Installs the resolver for this assembly's bindings; idempotent and thread-safe.</summary>
    internal static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    /// <summary>
    /// Loads <paramref name="library"/> by trying its candidates in order.
    /// </summary>
    /// <exception cref="NativeLibraryMissingException">No candidate loads; the message names the package.</exception>
    public static nint Load(NativeLibrarySpec library)
    {
        ArgumentNullException.ThrowIfNull(library);
        if (TryLoad(library, out var handle))
            return handle;
        throw new NativeLibraryMissingException(library, library.Candidates);
    }

    /// <summary>Tries to load <paramref name="library"/>; false when no candidate loads.</summary>
    public static bool TryLoad(NativeLibrarySpec library, out nint handle)
    {
        ArgumentNullException.ThrowIfNull(library);
        foreach (var name in library.Candidates)
        {
            if (NativeLibrary.TryLoad(name, out handle))
                return true;
        }
        handle = 0;
        return false;
    }

    /// <summary>True when <paramref name="library"/> can be loaded on this machine.</summary>
    public static bool IsAvailable(NativeLibrarySpec library) => TryLoad(library, out _);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (Loaded.TryGetValue(libraryName, out var cached))
            return cached;
        nint handle = Resolve(libraryName, Known);
        if (handle != 0)
            Loaded.TryAdd(libraryName, handle);
        return handle;
    }

    /// <summary>
    /// The resolver's lookup: loads the spec named <paramref name="libraryName"/> from <paramref name="known"/>
    /// (throwing <see cref="NativeLibraryMissingException"/> out of the P/Invoke call when it cannot),
    /// or returns 0 for names it does not know so the runtime's default probing applies.
    /// </summary>
    internal static nint Resolve(string libraryName, IReadOnlyList<NativeLibrarySpec> known)
    {
        foreach (var spec in known)
        {
            if (spec.Name == libraryName)
                return Load(spec);
        }
        return 0;
    }

    private static string[] OsNames(string[] linux, string[] windows, string[] mac) =>
        OperatingSystem.IsWindows() ? windows : OperatingSystem.IsMacOS() ? mac : linux;
}
