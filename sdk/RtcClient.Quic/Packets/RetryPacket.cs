using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Packets;

/// <summary>
/// Retry packets (RFC 9000 section 17.2.5) with their integrity tag (RFC 9001 section 5.8). Parse with
/// <see cref="PacketHeader.TryParse"/> (<see cref="PacketType.Retry"/>, token in <see cref="PacketHeader.Token"/>),
/// then check with <see cref="IsValid"/>.
/// </summary>
public static class RetryPacket
{
    /// <summary>Bytes a Retry packet takes.</summary>
    public static int GetLength(int destinationConnectionIdLength, int sourceConnectionIdLength, int tokenLength)
        => 1 + 4 + 1 + destinationConnectionIdLength + 1 + sourceConnectionIdLength + tokenLength + RetryIntegrity.TagLength;

    /// <summary>
    /// Writes a Retry packet with its integrity tag computed over <paramref name="originalDestinationConnectionId"/>.
    /// <paramref name="unusedBits"/> fills the four unused low bits of the first byte. Returns the length, or
    /// 0 when it does not fit.
    /// </summary>
    public static int Write(Span<byte> destination, uint version, ReadOnlySpan<byte> destinationConnectionId, ReadOnlySpan<byte> sourceConnectionId,
        ReadOnlySpan<byte> token, ReadOnlySpan<byte> originalDestinationConnectionId, byte unusedBits = 0)
    {
        if (token.IsEmpty) throw new ArgumentException("a Retry carries a non-empty token", nameof(token));
        if (destinationConnectionId.Length > QuicVersion.MaxConnectionIdLength || sourceConnectionId.Length > QuicVersion.MaxConnectionIdLength)
            throw new ArgumentException("connection IDs are at most 20 bytes");
        int length = GetLength(destinationConnectionId.Length, sourceConnectionId.Length, token.Length);
        if (destination.Length < length) return 0;
        destination[0] = (byte)(0xC0 | ((int)PacketType.Retry << 4) | (unusedBits & 0x0F));
        int offset = 1 + PacketWriter.WriteVersionAndConnectionIds(destination[1..], version, destinationConnectionId, sourceConnectionId);
        token.CopyTo(destination[offset..]);
        offset += token.Length;
        RetryIntegrity.ComputeTag(originalDestinationConnectionId, destination[..offset], destination.Slice(offset, RetryIntegrity.TagLength));
        return length;
    }

    /// <summary>
    /// True when a client should accept the Retry: its token is not empty, its Source Connection ID differs from
    /// the Destination Connection ID of the client's first Initial (RFC 9000 section 17.2.5.2), and its integrity
    /// tag verifies against that connection ID. Accepting only one Retry per connection is the connection's job.
    /// </summary>
    public static bool IsValid(in PacketHeader retry, ReadOnlySpan<byte> originalDestinationConnectionId)
        => retry.Type == PacketType.Retry && !retry.Token.IsEmpty
           && !retry.SourceConnectionId.SequenceEqual(originalDestinationConnectionId)
           && RetryIntegrity.Verify(originalDestinationConnectionId, retry.Packet);
}
