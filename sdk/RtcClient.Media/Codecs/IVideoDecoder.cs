namespace RtcClient.Media.Codecs;

/// <summary>Decodes an access unit (Annex-B) into a raw I420 frame.</summary>
public interface IVideoDecoder : IDisposable
{
    /// <summary>Codec name as in the RTP registry ("H264").</summary>
    string Name { get; }

    /// <summary>Decodes one access unit; returns the picture, or null when the decoder has none to show yet (or the data was undecodable).</summary>
    VideoFrame? Decode(ReadOnlySpan<byte> accessUnit, long timestamp);
}
