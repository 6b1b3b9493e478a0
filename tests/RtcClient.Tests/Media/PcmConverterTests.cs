using RtcClient.Media;
using RtcClient.Media.Io;

namespace RtcClient.Tests.Media;

/// <summary>The call's format conversion adds only the resampler's delay, and gives one frame for every frame in.</summary>
public class PcmConverterTests
{
    [TestCase(8000, 1, 48000, 1)]
    [TestCase(48000, 1, 8000, 1)]
    [TestCase(16000, 1, 48000, 1)]
    [TestCase(44100, 1, 48000, 1)]
    [TestCase(48000, 1, 44100, 1)]
    [TestCase(8000, 1, 48000, 2)]
    [TestCase(48000, 2, 48000, 1)]
    public void OneFrameOutPerFrameInWithOnlyTheFilterDelayAhead(int fromRate, int fromChannels, int toRate, int toChannels)
    {
        var from = new AudioFormat(fromRate, fromChannels);
        var to = new AudioFormat(toRate, toChannels);
        var converter = new PcmConverter(from, to);
        var tone = new ToneGenerator(from, 12000, 500);
        var input = new short[from.FrameSamples];
        var output = new short[to.FrameSamples];
        int firstSound = -1;
        for (int frame = 0; frame < 200; frame++)
        {
            tone.ReadFrame(input);
            converter.Write(input);
            Assert.That(converter.TryRead(output), Is.True, $"a whole frame is ready after input frame {frame}");
            Assert.That(converter.TryRead(output.AsSpan()), Is.False, $"and no more than one (frame {frame}): nothing piles up");
            if (firstSound < 0)
            {
                int i = Array.FindIndex(output, s => Math.Abs((int)s) > 1000);
                if (i >= 0)
                    firstSound = frame * output.Length + i;
            }
        }
        // The tone starts with its first input sample: what precedes it at the output is the filter's delay (~2 ms), not a frame.
        double leadMs = firstSound / (double)toChannels * 1000.0 / toRate;
        Assert.That(firstSound, Is.GreaterThanOrEqualTo(0));
        Assert.That(leadMs, Is.LessThan(4.0), $"the first sound comes {leadMs:F2} ms after the first output sample");
        Assert.That(converter.LeadingSilenceFrames * 1000.0 / toRate, Is.LessThan(4.0));
    }
}
