namespace RtcClient.Native;

/// <summary>
/// A native library the SDK binds to could not be loaded. The message names the OS package that
/// provides it, so the fix is one install command away.
/// </summary>
public sealed class NativeLibraryMissingException : DllNotFoundException
{
    /// <summary>Creates the exception for <paramref name="library"/> after trying <paramref name="triedNames"/>.</summary>
    public NativeLibraryMissingException(NativeLibrarySpec library, IReadOnlyList<string> triedNames, Exception? inner = null)
        : base(BuildMessage(library, triedNames), inner)
    {
        Library = library;
        TriedNames = triedNames;
    }

    /// <summary>Creates the exception with a plain message (for serializers and tooling).</summary>
    public NativeLibraryMissingException(string message) : base(message)
    {
        Library = new NativeLibrarySpec(string.Empty, string.Empty, []);
        TriedNames = [];
    }

    /// <summary>Creates the exception with a plain message and cause.</summary>
    public NativeLibraryMissingException(string message, Exception inner) : base(message, inner)
    {
        Library = new NativeLibrarySpec(string.Empty, string.Empty, []);
        TriedNames = [];
    }

    /// <summary>Creates the exception with a default message.</summary>
    public NativeLibraryMissingException() : this("a native library could not be loaded")
    {
    }

    /// <summary>The library that was looked for.</summary>
    public NativeLibrarySpec Library { get; }

    /// <summary>The file names that were tried, in order.</summary>
    public IReadOnlyList<string> TriedNames { get; }

    private static string BuildMessage(NativeLibrarySpec library, IReadOnlyList<string> tried) =>
        $"Native library '{library.Name}' could not be loaded (tried {string.Join(", ", tried)}). " +
        $"Install the OS package '{library.DebianPackage}' (Debian/Ubuntu: sudo apt-get install {library.DebianPackage}; " +
        "or run native/install-deps.sh).";
}
