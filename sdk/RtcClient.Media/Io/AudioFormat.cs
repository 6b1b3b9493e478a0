namespace RtcClient.Media.Io;

/// <summary>PCM stream format with its frame duration.</summary>
/// <param name="SampleRate">Samples per second per channel.</param>
/// <param name="Channels">Interleaved channels.</param>
/// <param name="FrameMs">Frame duration in milliseconds (20 for calls).</param>
public readonly record struct AudioFormat(int SampleRate, int Channels = 1, int FrameMs = 20)
{
    /// <summary>Samples per channel in one frame.</summary>
    public int FrameSamplesPerChannel => SampleRate * FrameMs / 1000;

    /// <summary>Interleaved samples in one frame.</summary>
    public int FrameSamples => FrameSamplesPerChannel * Channels;
}
