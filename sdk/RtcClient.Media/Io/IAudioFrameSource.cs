using RtcClient.Media.Streams;

namespace RtcClient.Media.Io;

/// <summary>
/// An <see cref="IAudioSource"/> that states its own format (microphone, file, generator, application),
/// so the pipeline can resample it to the codec's rate. <see cref="IAudioSource.ReadFrame"/> fills one
/// frame of <see cref="AudioFormat.FrameSamples"/> samples; false means no audio now (and for good,
/// once a finite source has ended).
/// </summary>
public interface IAudioFrameSource : IAudioSource
{
    /// <summary>Format of the frames.</summary>
    AudioFormat Format { get; }
}
