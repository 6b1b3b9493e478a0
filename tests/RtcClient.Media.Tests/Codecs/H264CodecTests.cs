using System.Buffers;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;

namespace RtcClient.Media.Tests.Codecs;

public class H264CodecTests
{
    private static readonly int[] KeyFrameNals = [7, 8, 5];
    private static readonly int[] DeltaFrameNals = [1];

    internal static List<int> NalTypes(ReadOnlySpan<byte> annexB)
    {
        var types = new List<int>();
        for (int i = 0; i + 3 < annexB.Length; i++)
        {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1)
            {
                types.Add(annexB[i + 3] & 0x1F);
                i += 3;
            }
        }
        return types;
    }

    private static double PsnrY(VideoFrame a, VideoFrame b)
    {
        double se = 0;
        int n = a.Width * a.Height;
        for (int i = 0; i < n; i++)
        {
            double d = a.Data[i] - b.Data[i];
            se += d * d;
        }
        return se == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 * n / se);
    }

    [Test]
    public void Encoded_frames_decode_to_close_pictures_and_key_frame_request_gives_an_idr()
    {
        var source = new SyntheticVideoSource(320, 240);
        using var encoder = new H264Encoder(320, 240, 800_000);
        using var decoder = new H264Decoder();
        using var intoDecoder = new H264Decoder();
        var packed = new byte[VideoFrame.GetBufferSize(320, 240)];
        var au = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 30; i++)
        {
            if (i == 20)
                encoder.RequestKeyFrame();
            var frame = source.NextFrame();
            au.ResetWrittenCount();
            bool key = encoder.Encode(frame, au);
            var types = NalTypes(au.WrittenSpan);
            if (i is 0 or 20)
            {
                Assert.That(key, Is.True, $"frame {i} should be a key frame");
                Assert.That(types, Is.SupersetOf(KeyFrameNals), $"frame {i}: SPS, PPS and IDR slice");
            }
            else
            {
                Assert.That(key, Is.False, $"frame {i}");
                Assert.That(types, Is.EqualTo(DeltaFrameNals), $"frame {i}: one non-IDR slice");
            }
            var decoded = decoder.Decode(au.WrittenSpan, frame.Timestamp);
            Assert.That(decoded, Is.Not.Null, $"frame {i}");
            Assert.That(decoded!.Width, Is.EqualTo(320));
            Assert.That(PsnrY(frame, decoded), Is.GreaterThan(30), $"frame {i}");
            Assert.That(decoded.Timestamp, Is.EqualTo(frame.Timestamp));
            Assert.That(intoDecoder.DecodeInto(au.WrittenSpan, packed, out int w, out int h), Is.True);
            Assert.That((w, h), Is.EqualTo((320, 240)));
            Assert.That(packed.AsSpan().SequenceEqual(decoded.Data), Is.True, "DecodeInto gives the same picture");
        }
        Assert.That(intoDecoder.DecodeInto(au.WrittenSpan, new byte[10], out _, out _), Is.False, "too small a buffer");
        Assert.That(decoder.Errors, Is.Zero);
    }

    [Test]
    public void Bitrate_can_change_between_frames()
    {
        var source = new SyntheticVideoSource(320, 240);
        using var encoder = new H264Encoder(320, 240, 1_000_000, keyFrameInterval: 0);
        var au = new ArrayBufferWriter<byte>();
        long Bytes(int frames)
        {
            long total = 0;
            for (int i = 0; i < frames; i++)
            {
                au.ResetWrittenCount();
                encoder.Encode(source.NextFrame(), au);
                total += au.WrittenCount;
            }
            return total;
        }
        Bytes(10);
        long high = Bytes(30);
        encoder.Bitrate = 100_000;
        Assert.That(encoder.Bitrate, Is.EqualTo(100_000));
        Bytes(15);
        long low = Bytes(30);
        TestContext.Out.WriteLine($"1 Mbit/s: {high} B, 100 kbit/s: {low} B per 30 frames");
        Assert.That(low, Is.LessThan(high / 3));
    }

    [Test]
    public void Garbage_is_reported_not_thrown()
    {
        using var decoder = new H264Decoder();
        var junk = new byte[500];
        new Random(7).NextBytes(junk);
        junk[0] = 0; junk[1] = 0; junk[2] = 0; junk[3] = 1; junk[4] = 0x65; // IDR slice header without SPS/PPS
        Assert.That(decoder.Decode(junk, 0), Is.Null);
        Assert.That(decoder.Decode([], 0), Is.Null);
    }

    [Test, Category("Interop")]
    public void Ffmpeg_decodes_our_annex_b_stream_bit_identically_to_our_decoder()
    {
        using var dir = new TempDirectory();
        const int w = 320, h = 240, frames = 40;
        var source = new SyntheticVideoSource(w, h);
        using var encoder = new H264Encoder(w, h, 500_000);
        using var decoder = new H264Decoder();
        var stream = new ArrayBufferWriter<byte>();
        using (var ours = I420FileSink.Create(dir.File("ours.yuv")))
        {
            var au = new ArrayBufferWriter<byte>();
            for (int i = 0; i < frames; i++)
            {
                if (i == 25)
                    encoder.RequestKeyFrame();
                au.ResetWrittenCount();
                encoder.Encode(source.NextFrame(), au);
                stream.Write(au.WrittenSpan);
                var picture = decoder.Decode(au.WrittenSpan, i);
                Assert.That(picture, Is.Not.Null);
                ours.Write(picture!);
            }
        }
        File.WriteAllBytes(dir.File("stream.h264"), stream.WrittenSpan.ToArray());
        ExternalTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "h264", "-i", dir.File("stream.h264"),
            "-f", "rawvideo", "-pix_fmt", "yuv420p", dir.File("ffmpeg.yuv")]);
        var theirs = File.ReadAllBytes(dir.File("ffmpeg.yuv"));
        var mine = File.ReadAllBytes(dir.File("ours.yuv"));
        Assert.That(mine, Has.Length.EqualTo(frames * VideoFrame.GetBufferSize(w, h)));
        Assert.That(theirs, Has.Length.EqualTo(mine.Length));
        Assert.That(theirs.AsSpan().SequenceEqual(mine), Is.True, "ffmpeg's pictures differ from ours");

        var probe = ExternalTool.Run("ffprobe", ["-v", "error", "-show_entries", "stream=profile,width,height", "-of", "default=nw=1", dir.File("stream.h264")]);
        Assert.That(probe, Does.Contain("profile=Constrained Baseline"));
        var keyFrames = ExternalTool.Run("ffprobe", ["-v", "error", "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", dir.File("stream.h264")]);
        var lines = keyFrames.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(frames));
        Assert.That(lines[0], Does.StartWith("1,I"));
        Assert.That(lines[25], Does.StartWith("1,I"), "the requested key frame");
        Assert.That(lines.Count(l => l.StartsWith("1,", StringComparison.Ordinal)), Is.EqualTo(2));
    }
}
