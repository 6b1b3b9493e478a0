namespace RtcClient.Media.Packetization;

/// <summary>Receives a completed H.264 access unit (Annex-B); the span is only valid during the call.</summary>
public delegate void H264AccessUnitHandler(ReadOnlySpan<byte> accessUnit, uint timestamp, bool isKeyFrame);
