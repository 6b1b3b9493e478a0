namespace RtcClient.Native;

/// <summary>
/// A native library as the bindings name it (<see cref="Name"/>, the DllImport library name), the
/// Debian package that provides it, and the file names to try, most specific (versioned soname) first.
/// </summary>
/// <param name="Name">Logical library name used in the bindings' <c>LibraryImport</c> attributes.</param>
/// <param name="DebianPackage">Debian/Ubuntu runtime package that installs the library.</param>
/// <param name="Candidates">File names or paths passed to <see cref="System.Runtime.InteropServices.NativeLibrary.TryLoad(string, out nint)"/>.</param>
public sealed record NativeLibrarySpec(string Name, string DebianPackage, IReadOnlyList<string> Candidates);
