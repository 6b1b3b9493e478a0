namespace RtcClient.Media;

/// <summary>Takes one received media datagram (flow id + RTP or RTCP packet); the span is valid only during the call.</summary>
public delegate void MediaDatagramHandler(ReadOnlySpan<byte> datagram);
