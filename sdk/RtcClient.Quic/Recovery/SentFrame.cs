namespace RtcClient.Quic.Recovery;

/// <summary>
/// What one frame in a sent packet carried, as values, so the connection can act when the packet is
/// acknowledged or declared lost (retransmit STREAM/CRYPTO ranges, re-send MAX_DATA with the current
/// value, drop DATAGRAM, and so on). The meaning of <see cref="StreamId"/>, <see cref="Offset"/> and
/// <see cref="Length"/> follows the frame type; for STREAM and CRYPTO frames they are the data range.
/// </summary>
/// <param name="FrameType">The frame type (RFC 9000 section 12.4 numbering).</param>
/// <param name="StreamId">Stream ID for stream-related frames; otherwise frame specific.</param>
/// <param name="Offset">Data offset for STREAM/CRYPTO; the value for MAX_* and *_BLOCKED frames; otherwise frame specific.</param>
/// <param name="Length">Data length for STREAM/CRYPTO; otherwise frame specific.</param>
/// <param name="Fin">The STREAM frame's FIN bit.</param>
public readonly record struct SentFrame(long FrameType, long StreamId = 0, long Offset = 0, long Length = 0, bool Fin = false);
