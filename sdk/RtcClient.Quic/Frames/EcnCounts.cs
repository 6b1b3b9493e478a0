namespace RtcClient.Quic.Frames;

/// <summary>ECN counts carried by an ACK_ECN frame (RFC 9000 section 19.3.2).</summary>
/// <param name="Ect0">Packets received with the ECT(0) codepoint.</param>
/// <param name="Ect1">Packets received with the ECT(1) codepoint.</param>
/// <param name="Ce">Packets received with the ECN-CE codepoint.</param>
public readonly record struct EcnCounts(long Ect0, long Ect1, long Ce);
