using RtcClient.Media.Codecs;

namespace RtcClient.Media;

/// <summary>Takes the decoded pictures of a call's received video (on a media thread; copy to keep).</summary>
public interface IVideoFrameSink
{
    /// <summary>Consumes one decoded picture.</summary>
    void WriteFrame(VideoFrame frame);
}
