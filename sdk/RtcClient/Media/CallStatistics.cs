using RtcClient.Media.Statistics;

namespace RtcClient.Media;

/// <summary>A snapshot of a call's media statistics; a stream that does not run is null.</summary>
/// <param name="AudioSend">Audio this side sends: packets, bitrate, and what the far end reports (loss, jitter, RTT).</param>
/// <param name="AudioReceive">Audio this side receives: packets, loss, jitter, RTT, concealment, playout delay, R-factor and MOS.</param>
/// <param name="VideoSend">Video this side sends.</param>
/// <param name="VideoReceive">Video this side receives.</param>
/// <param name="E2e">SFrame counters when the call is end-to-end encrypted.</param>
public sealed record CallStatistics(
    MediaStreamStatistics? AudioSend,
    MediaStreamStatistics? AudioReceive,
    MediaStreamStatistics? VideoSend,
    MediaStreamStatistics? VideoReceive,
    E2eStatistics? E2e)
{
    /// <summary>No media has run (yet).</summary>
    public static CallStatistics Empty { get; } = new(null, null, null, null, null);
}
