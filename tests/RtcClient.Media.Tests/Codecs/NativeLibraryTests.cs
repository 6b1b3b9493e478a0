using RtcClient.Native;

namespace RtcClient.Media.Tests.Codecs;

public class NativeLibraryTests
{
    [Test]
    public void Verified_sonames_load()
    {
        Assert.That(NativeLibraries.Load(NativeLibraries.Opus), Is.Not.EqualTo((nint)0));
        Assert.That(NativeLibraries.Load(NativeLibraries.OpenH264), Is.Not.EqualTo((nint)0));
        Assert.That(NativeLibraries.Load(NativeLibraries.PortAudio), Is.Not.EqualTo((nint)0));
        Assert.That(NativeLibraries.Opus.Candidates[0], Is.EqualTo("libopus.so.0"));
        Assert.That(NativeLibraries.OpenH264.Candidates[0], Is.EqualTo("libopenh264.so.7"));
        Assert.That(NativeLibraries.PortAudio.Candidates[0], Is.EqualTo("libportaudio.so.2"));
    }

    [TestCase("libopus.so.999", "libopus0")]
    [TestCase("/nonexistent/dir/libopenh264.so.7", "libopenh264-7")]
    [TestCase("libportaudio.so.77", "libportaudio2")]
    public void Missing_library_names_the_debian_package(string wrongName, string package)
    {
        var spec = new NativeLibrarySpec("probe", package, [wrongName]);
        Assert.That(NativeLibraries.IsAvailable(spec), Is.False);
        var ex = Assert.Throws<NativeLibraryMissingException>(() => NativeLibraries.Load(spec));
        Assert.That(ex, Is.InstanceOf<DllNotFoundException>());
        Assert.That(ex!.Message, Does.Contain($"apt-get install {package}"));
        Assert.That(ex.Message, Does.Contain(wrongName));
        Assert.That(ex.Library.DebianPackage, Is.EqualTo(package));
        // The real library is unaffected.
        Assert.That(NativeLibraries.IsAvailable(NativeLibraries.Opus), Is.True);
        using var encoder = new RtcClient.Media.Codecs.OpusEncoder();
        Assert.That(encoder.Lookahead, Is.GreaterThan(0));
    }
}

/// <summary>
/// The resolver mechanism end to end: this test assembly's P/Invokes resolve through the same lookup
/// the bindings use, with a spec whose soname does not exist; the call itself must surface the
/// package-naming exception.
/// </summary>
public partial class NativeLibraryResolverTests
{
    private static readonly NativeLibrarySpec Missing = new("rtc-missing-codec", "libopus0", ["libopus.so.0.does-not-exist"]);
    private static int registered;

    [System.Runtime.InteropServices.LibraryImport("rtc-missing-codec", EntryPoint = "opus_get_version_string")]
    private static partial nint MissingVersion();

    [Test]
    public void A_pinvoke_into_a_missing_library_throws_the_package_naming_exception()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolverTests).Assembly,
                (name, _, _) => NativeLibraries.Resolve(name, [Missing]));
        }
        var ex = Assert.Throws<NativeLibraryMissingException>(() => MissingVersion());
        Assert.That(ex!.Message, Does.Contain("apt-get install libopus0"));
        Assert.That(NativeLibraries.Resolve("something-else", [Missing]), Is.EqualTo((nint)0), "unknown names fall back to default probing");
        Assert.That(NativeLibraries.Resolve("opus", [NativeLibraries.Opus]), Is.Not.EqualTo((nint)0));
    }
}
