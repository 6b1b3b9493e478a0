using RtcClient.Media.Codecs;
using RtcClient.Native;

namespace RtcClient.Media.Tests.Codecs;

public class CodecRegistryTests
{
    private static readonly string[] BuiltInAudio = ["PCMU", "PCMA", "CN", "opus"];

    [Test]
    public void Built_in_codecs_are_created_by_name()
    {
        var r = CodecRegistry.Default;
        Assert.That(r.AudioCodecs, Is.SupersetOf(BuiltInAudio));
        Assert.That(r.VideoCodecs, Does.Contain("H264"));
        using var pcmu = r.CreateAudioEncoder("pcmu");
        Assert.That(pcmu.Info, Is.EqualTo(new AudioCodecInfo("PCMU", 0, 8000, 8000, 1)));
        using var pcma = r.CreateAudioDecoder("PCMA");
        Assert.That(pcma.Info.PayloadType, Is.EqualTo(8));
        using var opus = r.CreateAudioEncoder("opus", new AudioCodecOptions(Bitrate: 20000, InbandFec: true, PayloadType: 96));
        Assert.That(((OpusEncoder)opus).Bitrate, Is.EqualTo(20000));
        Assert.That(((OpusEncoder)opus).InbandFec, Is.True);
        Assert.That(opus.Info.ClockRate, Is.EqualTo(48000));
        using var h264 = r.CreateVideoEncoder("h264", new VideoCodecOptions(160, 120));
        Assert.That(h264.Name, Is.EqualTo("H264"));
        Assert.That(r.IsAvailable("opus") && r.IsAvailable("H264") && r.IsAvailable("PCMU"), Is.True);
        Assert.That(r.IsAvailable("G729"), Is.False);
        Assert.Throws<KeyNotFoundException>(() => r.CreateAudioEncoder("G729"));
    }

    [Test]
    public void Codec_whose_library_is_missing_reports_the_package()
    {
        var r = CodecRegistry.CreateDefault();
        var missing = new NativeLibrarySpec("opus-test", "libopus-test0", ["/nonexistent/libopus-test.so.0"]);
        r.RegisterAudio("opus-missing", _ => throw new InvalidOperationException("factory must not run"), _ => throw new InvalidOperationException(), missing);
        Assert.That(r.IsAvailable("opus-missing"), Is.False);
        var ex = Assert.Throws<NativeLibraryMissingException>(() => r.CreateAudioEncoder("opus-missing"));
        Assert.That(ex!.Message, Does.Contain("libopus-test0"));
        // G.711 is managed and keeps working.
        using var g711 = r.CreateAudioEncoder("PCMU");
        Assert.That(g711.Encode(new short[160], new byte[160]), Is.EqualTo(160));
    }

    [Test]
    public void G711_quantization_is_chosen_through_the_codec_options()
    {
        var r = CodecRegistry.CreateDefault();
        using var itu = (G711Encoder)r.CreateAudioEncoder("PCMA");
        using var ffmpegLike = (G711Encoder)r.CreateAudioEncoder("PCMA", new AudioCodecOptions(G711Quantization: G711Quantization.NearestLevel));
        Assert.That(itu.Quantization, Is.EqualTo(G711Quantization.Itu));
        Assert.That(ffmpegLike.Quantization, Is.EqualTo(G711Quantization.NearestLevel));
    }
}
