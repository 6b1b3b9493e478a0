using RtcClient.Media.Io;

namespace RtcClient.Media;

/// <summary>Delivers the receive stream's played-out frames to the call's current <see cref="Call.AudioSink"/> in its format.</summary>
internal sealed class CallAudioSink(Func<IAudioFrameSink?> current, AudioFormat codecFormat) : IAudioFrameSink
{
    public AudioFormat Format => codecFormat;

    private IAudioFrameSink? _converting;
    private AudioFormat _convertingFormat;
    private PcmConverter? _converter;
    private short[] _output = [];

    public void WriteFrame(ReadOnlySpan<short> frame)
    {
        var sink = current();
        if (sink is null)
            return;
        var format = sink.Format;
        if (format == codecFormat)
        {
            sink.WriteFrame(frame);
            return;
        }
        if (!ReferenceEquals(sink, _converting) || format != _convertingFormat || _converter is null)
        {
            _converting = sink;
            _convertingFormat = format;
            _converter = new PcmConverter(codecFormat, format);
            _output = new short[format.FrameSamples];
        }
        _converter.Write(frame);
        while (_converter.TryRead(_output))
            sink.WriteFrame(_output);
    }
}
