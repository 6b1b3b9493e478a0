using RtcClient.Media.Io;

namespace RtcClient.Media;

/// <summary>
/// Converts 20 ms PCM frames between an application's format and a codec's: channel mix, polyphase
/// resampling, then re-framing through a small FIFO (the resampler's output per call varies by a few
/// samples). Only the resampler's own delay (about 2 ms) plus two samples is queued as silence first, so
/// a full output frame is ready after every input frame without adding a frame of latency (call audio
/// is converted on both ends: a whole frame each side cost 40 ms of mouth-to-ear delay). The FIFO is
/// bounded, dropping the oldest samples if a producer runs ahead. Not thread-safe.
/// </summary>
internal sealed class PcmConverter
{
    private readonly AudioFormat _from;
    private readonly AudioFormat _to;
    private readonly PolyphaseResampler? _resampler;
    private readonly short[] _mixed;
    private readonly short[] _resampled;
    private readonly short[] _fifo;
    private int _count;

    public PcmConverter(AudioFormat from, AudioFormat to)
    {
        _from = from;
        _to = to;
        int mixedLength = from.FrameSamplesPerChannel * to.Channels;
        _mixed = new short[mixedLength];
        if (from.SampleRate != to.SampleRate)
        {
            _resampler = new PolyphaseResampler(from.SampleRate, to.SampleRate, to.Channels);
            _resampled = new short[_resampler.MaxOutput(mixedLength) + to.Channels];
        }
        else
        {
            _resampled = [];
        }
        _fifo = new short[to.FrameSamples * 4];
        _count = LeadingSilence(_resampler) * to.Channels;
    }

    /// <summary>Silent samples per channel queued ahead of the first output.</summary>
    internal int LeadingSilenceFrames => LeadingSilence(_resampler);

    // The first input frame yields DelayFrames input frames' worth less output (the filter's look-ahead);
    // later frames yield a whole frame each, give or take a sample for ratios that do not divide evenly.
    private static int LeadingSilence(PolyphaseResampler? resampler) => resampler is null ? 0
        : (int)Math.Ceiling((double)resampler.DelayFrames * resampler.OutputRate / resampler.InputRate) + 2;

    /// <summary>Samples of one input frame.</summary>
    public int InputFrameSamples => _from.FrameSamples;

    /// <summary>Converts one input frame (or a short tail) and queues the result.</summary>
    public void Write(ReadOnlySpan<short> input)
    {
        int frames = Math.Min(input.Length / _from.Channels, _from.FrameSamplesPerChannel);
        var mixed = _mixed.AsSpan(0, frames * _to.Channels);
        Mix(input[..(frames * _from.Channels)], _from.Channels, mixed, _to.Channels);
        if (_resampler is null)
        {
            Append(mixed);
            return;
        }
        int n = _resampler.Process(mixed, _resampled);
        Append(_resampled.AsSpan(0, n));
    }

    /// <summary>Takes one output frame; false (nothing taken) when not enough is queued.</summary>
    public bool TryRead(Span<short> frame)
    {
        if (_count < frame.Length)
            return false;
        _fifo.AsSpan(0, frame.Length).CopyTo(frame);
        _fifo.AsSpan(frame.Length, _count - frame.Length).CopyTo(_fifo);
        _count -= frame.Length;
        return true;
    }

    private void Append(ReadOnlySpan<short> samples)
    {
        if (samples.Length > _fifo.Length)
            samples = samples[^_fifo.Length..];
        int overflow = _count + samples.Length - _fifo.Length;
        if (overflow > 0)
        {
            overflow = (overflow + _to.Channels - 1) / _to.Channels * _to.Channels;
            _fifo.AsSpan(overflow, _count - overflow).CopyTo(_fifo);
            _count -= overflow;
        }
        samples.CopyTo(_fifo.AsSpan(_count));
        _count += samples.Length;
    }

    private static void Mix(ReadOnlySpan<short> input, int inChannels, Span<short> output, int outChannels)
    {
        if (inChannels == outChannels)
        {
            input.CopyTo(output);
            return;
        }
        int frames = output.Length / outChannels;
        for (int i = 0; i < frames; i++)
        {
            int sum = 0;
            for (int c = 0; c < inChannels; c++)
                sum += input[i * inChannels + c];
            short value = (short)(sum / inChannels);
            for (int c = 0; c < outChannels; c++)
                output[i * outChannels + c] = value;
        }
    }
}
