namespace RtcClient.Media.Io;

/// <summary>Something the media pipeline pushes decoded fixed-duration PCM frames to (speaker, file, application).</summary>
public interface IAudioFrameSink
{
    /// <summary>Format of the frames.</summary>
    AudioFormat Format { get; }

    /// <summary>Consumes one frame of <see cref="AudioFormat.FrameSamples"/> samples.</summary>
    void WriteFrame(ReadOnlySpan<short> frame);
}
