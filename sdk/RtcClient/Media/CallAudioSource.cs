using RtcClient.Media.Io;

namespace RtcClient.Media;

/// <summary>
/// What the send stream encodes: the call's current <see cref="Call.AudioSource"/> converted to the
/// codec's format, or silence when there is none (or it has ended), so the far end keeps its timing.
/// </summary>
internal sealed class CallAudioSource(Func<IAudioFrameSource?> current, AudioFormat codecFormat) : IAudioFrameSource
{
    public AudioFormat Format => codecFormat;

    private IAudioFrameSource? _converting;
    private AudioFormat _convertingFormat;
    private PcmConverter? _converter;
    private short[] _input = [];

    public bool ReadFrame(Span<short> frame)
    {
        var source = current();
        if (source is null)
        {
            frame.Clear();
            return true;
        }
        var format = source.Format;
        if (format == codecFormat)
        {
            if (!source.ReadFrame(frame))
                frame.Clear();
            return true;
        }
        if (!ReferenceEquals(source, _converting) || format != _convertingFormat || _converter is null)
        {
            _converting = source;
            _convertingFormat = format;
            _converter = new PcmConverter(format, codecFormat);
            _input = new short[format.FrameSamples];
        }
        if (source.ReadFrame(_input))
            _converter.Write(_input);
        if (!_converter.TryRead(frame))
            frame.Clear();
        return true;
    }
}
