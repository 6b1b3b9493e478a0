using RtcClient.Quic.Crypto;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Streams;

namespace RtcClient.Quic.Connection;

/// <summary>
/// One packet number space (RFC 9000 section 12.3): its keys, packet numbers, what was received and
/// must be acknowledged, what was sent and awaits acknowledgement, and its CRYPTO stream.
/// </summary>
internal sealed class PacketNumberSpace : IDisposable
{
    /// <summary>Creates the space for <paramref name="level"/>.</summary>
    public PacketNumberSpace(EncryptionLevel level) => Level = level;

    /// <summary>Initial, Handshake or Application.</summary>
    public EncryptionLevel Level { get; }

    /// <summary>Keys for packets we open.</summary>
    public PacketProtection? ReadKeys;
    /// <summary>Keys for packets we send.</summary>
    public PacketProtection? WriteKeys;
    /// <summary>True once the keys were discarded (RFC 9001 section 4.9); the space is then dead.</summary>
    public bool Discarded;

    /// <summary>Next packet number to send.</summary>
    public long NextPacketNumber;

    /// <summary>Packet numbers received (for ACK frames and duplicate detection).</summary>
    public readonly RangeSet Received = new(maxRanges: 64);
    /// <summary>Largest packet number received, or -1.</summary>
    public long LargestReceived = -1;
    /// <summary>When the largest packet number was received.</summary>
    public long LargestReceivedTime;
    /// <summary>Ack-eliciting packets received since the last ACK we sent.</summary>
    public int AckElicitingSinceAck;
    /// <summary>An ACK frame should be sent now.</summary>
    public bool AckImmediately;
    /// <summary>When a delayed ACK is due, or long.MaxValue.</summary>
    public long AckDeadline = long.MaxValue;
    /// <summary>True when something was received since the last ACK we sent (even if not ack-eliciting).</summary>
    public bool AckRangesChanged;

    /// <summary>PTO probe packets to send now.</summary>
    public int ProbesPending;

    /// <summary>CRYPTO bytes to send at this level.</summary>
    public readonly SendBuffer CryptoSend = new(1 << 20);
    /// <summary>CRYPTO bytes received at this level.</summary>
    public readonly ReceiveBuffer CryptoReceive = ReceiveBuffer.ForCrypto();

    /// <summary>Returns the CRYPTO buffers' pooled memory.</summary>
    public void Dispose()
    {
        CryptoSend.Dispose();
        CryptoReceive.Dispose();
    }

    /// <summary>True when the space has an ACK to send.</summary>
    public bool WantsAck(long now) => AckRangesChanged && !Received.IsEmpty && (AckImmediately || AckDeadline <= now);
}
