using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Recovery;

/// <summary>
/// What a loss detection timeout asks the connection to send (RFC 9002 section 6.2.4): nothing when
/// <see cref="Count"/> is 0, else that many ack-eliciting probe packets in <see cref="Space"/>.
/// Probes in the Initial space from a client are padded to 1200 bytes.
/// </summary>
/// <param name="Space">Packet number space to probe in.</param>
/// <param name="Count">Probe packets to send (0, 1 or 2).</param>
public readonly record struct ProbeRequest(EncryptionLevel Space, int Count)
{
    /// <summary>No probe needed (the timeout declared packets lost instead).</summary>
    public static ProbeRequest None => default;
}
