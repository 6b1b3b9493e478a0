using RtcClient.Media.Codecs;
using RtcClient.Media.Io;

namespace RtcClient.Media.Tests.Io;

public class PcmStreamTests
{
    private static readonly AudioFormat Format = new(8000);

    private static short[] FrameOf(short value)
    {
        var f = new short[Format.FrameSamples];
        f.AsSpan().Fill(value);
        return f;
    }

    [Test]
    public void Push_source_delivers_frames_in_order_then_silence_on_underrun()
    {
        var source = new PcmPushSource(Format, capacityFrames: 3);
        Assert.That(Format.FrameSamples, Is.EqualTo(160));
        for (short i = 1; i <= 5; i++)
            source.Push(FrameOf(i));
        Assert.That(source.DroppedFrames, Is.EqualTo(2), "capacity 3: the two oldest are dropped");
        var frame = new short[160];
        foreach (short expected in new short[] { 3, 4, 5, 0 })
        {
            Assert.That(source.ReadFrame(frame), Is.True);
            Assert.That(frame.All(s => s == expected), Is.True, $"expected {expected}");
        }
        Assert.That(source.Underruns, Is.EqualTo(1));
        Assert.Throws<ArgumentException>(() => source.Push(new short[159]));
    }

    [Test]
    public async Task Pull_sink_hands_frames_to_the_application()
    {
        using var sink = new PcmPullSink(Format, capacityFrames: 4);
        var frame = new short[160];
        Assert.That(sink.TryRead(frame), Is.False);
        Assert.That(await sink.ReadAsync(frame, TimeSpan.FromMilliseconds(20)), Is.False, "times out when empty");

        var reader = Task.Run(async () =>
        {
            var got = new List<short>();
            var buffer = new short[160];
            for (int i = 0; i < 3; i++)
            {
                if (!await sink.ReadAsync(buffer, TimeSpan.FromSeconds(5)))
                    break;
                got.Add(buffer[0]);
            }
            return got;
        });
        for (short i = 1; i <= 3; i++)
            sink.WriteFrame(FrameOf(i));
        var received = await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(received, Is.EqualTo(new short[] { 1, 2, 3 }));
    }

    [Test]
    public void Tone_generator_produces_the_frequency_with_continuous_phase()
    {
        var gen = new ToneGenerator(new AudioFormat(8000, 2), 10000, 440);
        var all = new short[8000 * 2];
        for (int f = 0; f < 50; f++)
            Assert.That(gen.ReadFrame(all.AsSpan(f * 320, 320)), Is.True);
        var left = Enumerable.Range(0, 8000).Select(i => all[2 * i]).ToArray();
        Assert.That(Enumerable.Range(0, 8000).All(i => all[2 * i] == all[2 * i + 1]), Is.True, "both channels equal");
        // Zero crossings in one second: 2 per period.
        int crossings = 0;
        for (int i = 1; i < left.Length; i++)
            if ((left[i - 1] < 0) != (left[i] < 0))
                crossings++;
        Assert.That(crossings, Is.InRange(879, 881));
        Assert.That(left.Max(), Is.InRange(9990, 10000));
    }

    [Test]
    public void Synthetic_video_moves_and_the_i420_sink_writes_packed_frames()
    {
        var source = new SyntheticVideoSource(64, 48, frameRate: 30);
        var a = source.NextFrame();
        var b = source.NextFrame();
        Assert.That(a.Timestamp, Is.Zero);
        Assert.That(b.Timestamp, Is.EqualTo(3000));
        Assert.That(a.Data.AsSpan().SequenceEqual(b.Data), Is.False, "the pattern moves");
        Assert.That(new SyntheticVideoSource(64, 48).NextFrame().Data, Is.EqualTo(a.Data), "deterministic");
        using var ms = new MemoryStream();
        using (var sink = new I420FileSink(ms, leaveOpen: true))
        {
            sink.Write(a);
            sink.Write(b);
            Assert.That(sink.Frames, Is.EqualTo(2));
            Assert.Throws<ArgumentException>(() => sink.Write(new VideoFrame(32, 32, new byte[VideoFrame.GetBufferSize(32, 32)], 0)));
        }
        Assert.That(ms.Length, Is.EqualTo(2 * 64 * 48 * 3 / 2));
    }
}
