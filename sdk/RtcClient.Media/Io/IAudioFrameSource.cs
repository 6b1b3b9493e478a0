namespace RtcClient.Media.Io;

/// <summary>Something the media pipeline pulls fixed-duration PCM frames from (microphone, file, generator, application).</summary>
public interface IAudioFrameSource
{
    /// <summary>Format of the frames.</summary>
    AudioFormat Format { get; }

    /// <summary>Fills one frame (<see cref="AudioFormat.FrameSamples"/> samples); false when the source has ended.</summary>
    bool ReadFrame(Span<short> frame);
}
