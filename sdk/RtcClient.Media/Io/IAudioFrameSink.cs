using RtcClient.Media.Streams;

namespace RtcClient.Media.Io;

/// <summary>
/// An <see cref="IAudioSink"/> that states the format it wants (speaker, file, application), so the
/// pipeline can resample decoded audio to it. Each <see cref="IAudioSink.WriteFrame"/> carries one
/// frame of <see cref="AudioFormat.FrameSamples"/> samples.
/// </summary>
public interface IAudioFrameSink : IAudioSink
{
    /// <summary>Format of the frames.</summary>
    AudioFormat Format { get; }
}
