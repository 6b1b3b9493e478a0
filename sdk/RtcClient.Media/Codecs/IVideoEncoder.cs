using System.Buffers;

namespace RtcClient.Media.Codecs;

/// <summary>Encodes raw I420 frames into an Annex-B byte stream (start codes between NAL units).</summary>
public interface IVideoEncoder : IDisposable
{
    /// <summary>Codec name as in the RTP registry ("H264").</summary>
    string Name { get; }

    /// <summary>Encodes one frame and appends its access unit to <paramref name="output"/>; returns true when it is a key frame.</summary>
    bool Encode(VideoFrame frame, IBufferWriter<byte> output);

    /// <summary>Makes the next encoded frame an IDR (key) frame, e.g. after the receiver asked with PLI.</summary>
    void RequestKeyFrame();

    /// <summary>Target bitrate in bits per second; may be changed between frames.</summary>
    int Bitrate { get; set; }
}
