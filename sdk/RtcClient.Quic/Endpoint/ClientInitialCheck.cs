using RtcClient.Quic.Crypto;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Tls;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Endpoint;

/// <summary>
/// Checks the first Initial of a would-be client before a server creates any state for it, so that garbage
/// and forged datagrams cost a key derivation and one decryption, never a connection (RFC 9000 section 5.2.2
/// lets a server drop Initials it cannot process). The packet must decrypt under the Initial keys its
/// Destination Connection ID derives (RFC 9001 section 5.2), have clear reserved bits, hold only frames an
/// Initial may carry, all well formed, and carry a CRYPTO frame; the one at offset 0 must start a ClientHello.
/// </summary>
internal static class ClientInitialCheck
{
    /// <summary>
    /// Opens a copy of <paramref name="header"/>'s packet in <paramref name="scratch"/> (the datagram is untouched).
    /// Returns the Initial keys when the packet passes, for the new connection to own; null otherwise.
    /// </summary>
    public static (PacketProtection Client, PacketProtection Server)? TryOpen(in PacketHeader header, Span<byte> scratch)
    {
        var packet = header.Packet;
        if (header.Type != PacketType.Initial || packet.Length > scratch.Length) return null;
        var copy = scratch[..packet.Length];
        packet.CopyTo(copy);
        var keys = PacketProtection.CreateInitial(header.DestinationConnectionId);
        bool valid = false;
        try
        {
            int pnOffset = header.PacketNumberOffset;
            if (!keys.Client.TryRemoveHeaderProtection(copy, pnOffset, out int pnLength)) return null;
            long pn = PacketNumber.Decode(-1, PacketNumber.ReadTruncated(copy[pnOffset..], pnLength), pnLength);
            if (!keys.Client.TryDecrypt(copy, pnOffset + pnLength, pn, out int payloadLength)) return null;
            if ((copy[0] & 0x0C) != 0) return null;
            valid = CarriesClientHello(copy.Slice(pnOffset + pnLength, payloadLength));
            return valid ? keys : null;
        }
        finally
        {
            if (!valid)
            {
                keys.Client.Dispose();
                keys.Server.Dispose();
            }
        }
    }

    private static bool CarriesClientHello(ReadOnlySpan<byte> payload)
    {
        bool crypto = false;
        try
        {
            var reader = new FrameReader(payload);
            while (reader.TryRead(out var frame))
            {
                if (!FrameRules.IsAllowed(frame.Type, PacketType.Initial)) return false;
                if (frame.Type != FrameType.Crypto) continue;
                if (frame.Offset == 0 && (frame.Data.IsEmpty || frame.Data[0] != (byte)TlsHandshakeType.ClientHello)) return false;
                crypto = true;
            }
        }
        catch (QuicProtocolException)
        {
            return false;
        }
        return crypto;
    }
}
