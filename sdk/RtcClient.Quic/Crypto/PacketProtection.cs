using RtcClient.Quic.Tls;

namespace RtcClient.Quic.Crypto;

/// <summary>
/// CONTRACT STUB (to be implemented by the crypto work): AEAD packet protection and header protection
/// for one direction at one encryption level (RFC 9001 section 5). Allocation-free per packet.
/// </summary>
internal sealed class PacketProtection : IDisposable
{
    private PacketProtection() { }

    /// <summary>AEAD tag length appended to every protected payload (16 for all QUIC v1 suites).</summary>
    public const int TagLength = 16;

    /// <summary>Keys from a TLS traffic secret ("quic key", "quic iv", "quic hp").</summary>
    public static PacketProtection Create(TlsCipherSuite suite, ReadOnlySpan<byte> trafficSecret) => throw new NotImplementedException();

    /// <summary>Initial keys for both directions from the client's first Destination Connection ID (RFC 9001 section 5.2, v1 salt).</summary>
    public static (PacketProtection Client, PacketProtection Server) CreateInitial(ReadOnlySpan<byte> clientDestinationConnectionId)
        => throw new NotImplementedException();

    /// <summary>The cipher suite of these keys.</summary>
    public TlsCipherSuite Suite => throw new NotImplementedException();

    /// <summary>
    /// Keys for the next key phase (RFC 9001 section 6): a new AEAD key and IV from
    /// HKDF-Expand-Label(secret, "quic ku"); the header protection key is kept.
    /// </summary>
    public PacketProtection NextKeyPhase() => throw new NotImplementedException();

    /// <summary>
    /// Protects a packet in place. <paramref name="packet"/> holds the header (its first byte's low bits
    /// give the packet number length; the truncated packet number is written just before
    /// <paramref name="headerLength"/>), then the plaintext payload, then <see cref="TagLength"/> bytes of
    /// room for the tag: the whole span is the finished packet. Encrypts, then applies header protection.
    /// </summary>
    public void Protect(Span<byte> packet, int headerLength, long packetNumber) => throw new NotImplementedException();

    /// <summary>
    /// Removes header protection in place. <paramref name="packetNumberOffset"/> is where the packet
    /// number starts; returns false when the packet is too short to sample. On success the first byte
    /// and the packet number bytes are in the clear and <paramref name="packetNumberLength"/> is 1 to 4.
    /// </summary>
    public bool TryRemoveHeaderProtection(Span<byte> packet, int packetNumberOffset, out int packetNumberLength) => throw new NotImplementedException();

    /// <summary>
    /// Decrypts in place after header protection was removed: <paramref name="packet"/> is header +
    /// ciphertext + tag. Returns false when authentication fails; on success the plaintext payload is at
    /// <paramref name="headerLength"/> with <paramref name="payloadLength"/> bytes.
    /// </summary>
    public bool TryDecrypt(Span<byte> packet, int headerLength, long packetNumber, out int payloadLength) => throw new NotImplementedException();

    /// <inheritdoc />
    public void Dispose() { }
}
