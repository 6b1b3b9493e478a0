using RtcClient.Media.Codecs;

namespace RtcClient.Media;

/// <summary>Raw I420 pictures a call sends (camera, file, generator); pulled at the directive's frame rate.</summary>
public interface IVideoFrameSource
{
    /// <summary>The next picture, or null when none is available now (nothing is sent for this frame).</summary>
    VideoFrame? ReadFrame();
}
