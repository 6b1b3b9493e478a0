using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using RtcClient.Quic.Tls;

namespace RtcClient.Quic.Crypto;

/// <summary>
/// AEAD packet protection and header protection for one direction at one encryption level
/// (RFC 9001 section 5). Allocation-free per packet: the AEAD and header-protection cipher instances are
/// created once and reused. Not thread-safe; each connection uses its own instances from one thread.
/// </summary>
internal sealed class PacketProtection : IDisposable
{
    /// <summary>AEAD tag length appended to every protected payload (16 for all QUIC v1 suites).</summary>
    public const int TagLength = 16;

    /// <summary>Bytes of ciphertext sampled for header protection (RFC 9001 section 5.4.2).</summary>
    public const int SampleLength = 16;

    /// <summary>
    /// Smallest plaintext payload (frames, including PADDING) a packet with a packet number of
    /// <paramref name="packetNumberLength"/> bytes needs so that header protection can be sampled: packet
    /// number plus payload must be at least 4 bytes (RFC 9001 section 5.4.2).
    /// </summary>
    public static int GetMinimumPayloadLength(int packetNumberLength) => Math.Max(0, 4 - packetNumberLength);

    /// <summary>Nonce length of every QUIC v1 AEAD.</summary>
    private const int IvLength = 12;

    // RFC 9001 section 5.2: initial_salt for QUIC version 1.
    private static ReadOnlySpan<byte> InitialSaltV1 =>
    [
        0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
        0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
    ];

    /// <summary>
    /// Header protection uses BouncyCastle's AES-NI engine when the CPU has AES instructions (its table-based
    /// fallback is not constant-time, so otherwise the BCL is used). Tests switch it to cover both paths.
    /// </summary>
    internal static bool UseAesNiHeaderProtection { get; set; } = System.Runtime.Intrinsics.X86.Aes.IsSupported;

    private readonly byte[] _secret;
    private readonly byte[] _iv;
    private readonly byte[] _headerKey;
    private readonly AesGcm? _aesGcm;
    private readonly ChaCha20Poly1305? _chaCha;
    private readonly Aes? _headerAes;
    private readonly IBlockCipher? _headerAesNi;
    private readonly ICryptoTransform? _headerEcb;
    private readonly byte[] _sampleBlock = new byte[16];
    private readonly byte[] _maskBlock = new byte[16];

    private PacketProtection(TlsCipherSuite suite, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> headerKey)
    {
        Suite = suite;
        int keyLength = GetKeyLength(suite);
        _secret = secret.ToArray();
        _iv = new byte[IvLength];
        _headerKey = new byte[keyLength];
        Span<byte> key = stackalloc byte[keyLength];
        DeriveKeys(suite, secret, key, _iv, _headerKey);
        if (!headerKey.IsEmpty) headerKey.CopyTo(_headerKey);

        if (suite == TlsCipherSuite.ChaCha20Poly1305Sha256)
        {
            _chaCha = new ChaCha20Poly1305(key);
        }
        else
        {
            _aesGcm = new AesGcm(key, TagLength);
            if (UseAesNiHeaderProtection)
            {
                // One AES block per packet: BouncyCastle's AES-NI engine runs it in-process, many times faster than
                // a call into OpenSSL, and without allocating.
                _headerAesNi = AesUtilities.CreateEngine();
                _headerAesNi.Init(forEncryption: true, new KeyParameter(_headerKey));
            }
            else
            {
                _headerAes = Aes.Create();
                _headerAes.Mode = CipherMode.ECB;
                _headerAes.Padding = PaddingMode.None;
                _headerAes.Key = _headerKey;
                // A cached ECB transform over fixed arrays: Aes.EncryptEcb allocates a native context per call.
                _headerEcb = _headerAes.CreateEncryptor(_headerKey, null);
            }
        }

        CryptographicOperations.ZeroMemory(key);
    }

    /// <summary>Derives the AEAD key, IV and header protection key of a traffic secret (RFC 9001 section 5.1).</summary>
    internal static void DeriveKeys(TlsCipherSuite suite, ReadOnlySpan<byte> secret, Span<byte> key, Span<byte> iv, Span<byte> headerKey)
    {
        HashAlgorithmName hash = GetHash(suite);
        HkdfLabel.Expand(hash, secret, "quic key"u8, default, key[..GetKeyLength(suite)]);
        HkdfLabel.Expand(hash, secret, "quic iv"u8, default, iv[..IvLength]);
        HkdfLabel.Expand(hash, secret, "quic hp"u8, default, headerKey[..GetKeyLength(suite)]);
    }

    /// <summary>Derives the client and server Initial secrets (32 bytes each) of RFC 9001 section 5.2.</summary>
    internal static void DeriveInitialSecrets(ReadOnlySpan<byte> clientDestinationConnectionId, Span<byte> clientSecret, Span<byte> serverSecret)
    {
        Span<byte> initialSecret = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, clientDestinationConnectionId, InitialSaltV1, initialSecret);
        HkdfLabel.Expand(HashAlgorithmName.SHA256, initialSecret, "client in"u8, default, clientSecret[..32]);
        HkdfLabel.Expand(HashAlgorithmName.SHA256, initialSecret, "server in"u8, default, serverSecret[..32]);
        CryptographicOperations.ZeroMemory(initialSecret);
    }

    /// <summary>Derives the secret of the next key phase, HKDF-Expand-Label(secret, "quic ku", "", Hash.length).</summary>
    internal static void DeriveNextSecret(TlsCipherSuite suite, ReadOnlySpan<byte> secret, Span<byte> next)
        => HkdfLabel.Expand(GetHash(suite), secret, "quic ku"u8, default, next[..secret.Length]);

    /// <summary>Keys from a TLS traffic secret ("quic key", "quic iv", "quic hp").</summary>
    public static PacketProtection Create(TlsCipherSuite suite, ReadOnlySpan<byte> trafficSecret)
    {
        if (trafficSecret.Length != GetHashLength(suite))
            throw new ArgumentException($"a {suite} traffic secret is {GetHashLength(suite)} bytes", nameof(trafficSecret));
        return new PacketProtection(suite, trafficSecret, default);
    }

    /// <summary>Initial keys for both directions from the client's first Destination Connection ID (RFC 9001 section 5.2, v1 salt).</summary>
    public static (PacketProtection Client, PacketProtection Server) CreateInitial(ReadOnlySpan<byte> clientDestinationConnectionId)
    {
        Span<byte> clientSecret = stackalloc byte[32];
        Span<byte> serverSecret = stackalloc byte[32];
        DeriveInitialSecrets(clientDestinationConnectionId, clientSecret, serverSecret);
        var keys = (Create(TlsCipherSuite.Aes128GcmSha256, clientSecret), Create(TlsCipherSuite.Aes128GcmSha256, serverSecret));
        CryptographicOperations.ZeroMemory(clientSecret);
        CryptographicOperations.ZeroMemory(serverSecret);
        return keys;
    }

    /// <summary>The cipher suite of these keys.</summary>
    public TlsCipherSuite Suite { get; }

    /// <summary>
    /// Keys for the next key phase (RFC 9001 section 6): a new AEAD key and IV from
    /// HKDF-Expand-Label(secret, "quic ku"); the header protection key is kept.
    /// </summary>
    public PacketProtection NextKeyPhase()
    {
        Span<byte> next = stackalloc byte[_secret.Length];
        DeriveNextSecret(Suite, _secret, next);
        var result = new PacketProtection(Suite, next, _headerKey);
        CryptographicOperations.ZeroMemory(next);
        return result;
    }

    /// <summary>
    /// Protects a packet in place. <paramref name="packet"/> holds the header (its first byte's low bits
    /// give the packet number length; the truncated packet number is written just before
    /// <paramref name="headerLength"/>), then the plaintext payload, then <see cref="TagLength"/> bytes of
    /// room for the tag: the whole span is the finished packet. Encrypts, then applies header protection.
    /// The packet must leave room for the header protection sample: at least 4 bytes of packet number
    /// plus payload before the 16-byte sample (RFC 9001 section 5.4.2); pad the payload when it is shorter.
    /// </summary>
    public void Protect(Span<byte> packet, int headerLength, long packetNumber)
    {
        int packetNumberLength = (packet[0] & 0x03) + 1;
        int packetNumberOffset = headerLength - packetNumberLength;
        if (packetNumberOffset < 1 || packet.Length < headerLength + TagLength)
            throw new ArgumentException("header or tag does not fit the packet", nameof(packet));
        if (packet.Length < packetNumberOffset + 4 + SampleLength)
            throw new ArgumentException("payload too short to sample for header protection; add PADDING", nameof(packet));

        Span<byte> nonce = stackalloc byte[IvLength];
        MakeNonce(packetNumber, nonce);
        Span<byte> payload = packet[headerLength..^TagLength];
        Span<byte> tag = packet[^TagLength..];
        ReadOnlySpan<byte> header = packet[..headerLength];
        if (_aesGcm is not null) _aesGcm.Encrypt(nonce, payload, payload, tag, header);
        else _chaCha!.Encrypt(nonce, payload, payload, tag, header);

        Span<byte> mask = stackalloc byte[5];
        ComputeMask(packet.Slice(packetNumberOffset + 4, SampleLength), mask);
        packet[0] ^= (byte)(mask[0] & ((packet[0] & 0x80) != 0 ? 0x0F : 0x1F));
        for (int i = 0; i < packetNumberLength; i++) packet[packetNumberOffset + i] ^= mask[1 + i];
    }

    /// <summary>
    /// Removes header protection in place. <paramref name="packetNumberOffset"/> is where the packet
    /// number starts; returns false when the packet is too short to sample. On success the first byte
    /// and the packet number bytes are in the clear and <paramref name="packetNumberLength"/> is 1 to 4.
    /// </summary>
    public bool TryRemoveHeaderProtection(Span<byte> packet, int packetNumberOffset, out int packetNumberLength)
    {
        if (packetNumberOffset < 1 || packet.Length - SampleLength - 4 < packetNumberOffset)
        {
            packetNumberLength = 0;
            return false;
        }

        Span<byte> mask = stackalloc byte[5];
        ComputeMask(packet.Slice(packetNumberOffset + 4, SampleLength), mask);
        packet[0] ^= (byte)(mask[0] & ((packet[0] & 0x80) != 0 ? 0x0F : 0x1F));
        packetNumberLength = (packet[0] & 0x03) + 1;
        for (int i = 0; i < packetNumberLength; i++) packet[packetNumberOffset + i] ^= mask[1 + i];
        return true;
    }

    /// <summary>
    /// Decrypts in place after header protection was removed: <paramref name="packet"/> is header +
    /// ciphertext + tag. Returns false when authentication fails (the payload bytes are then unspecified);
    /// on success the plaintext payload is at <paramref name="headerLength"/> with
    /// <paramref name="payloadLength"/> bytes.
    /// </summary>
    public bool TryDecrypt(Span<byte> packet, int headerLength, long packetNumber, out int payloadLength)
    {
        payloadLength = 0;
        if (headerLength < 1 || packet.Length - TagLength < headerLength) return false;

        Span<byte> nonce = stackalloc byte[IvLength];
        MakeNonce(packetNumber, nonce);
        Span<byte> payload = packet[headerLength..^TagLength];
        ReadOnlySpan<byte> tag = packet[^TagLength..];
        ReadOnlySpan<byte> header = packet[..headerLength];
        try
        {
            if (_aesGcm is not null) _aesGcm.Decrypt(nonce, payload, tag, payload, header);
            else _chaCha!.Decrypt(nonce, payload, tag, payload, header);
        }
        catch (AuthenticationTagMismatchException)
        {
            // Forged or corrupted packets only; the BCL reports them by exception.
            return false;
        }

        payloadLength = payload.Length;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _aesGcm?.Dispose();
        _chaCha?.Dispose();
        _headerEcb?.Dispose();
        _headerAes?.Dispose();
        CryptographicOperations.ZeroMemory(_secret);
        CryptographicOperations.ZeroMemory(_headerKey);
        CryptographicOperations.ZeroMemory(_iv);
    }

    // RFC 9001 section 5.3: the 62-bit packet number, left-padded to the IV length, XORed with the IV.
    private void MakeNonce(long packetNumber, Span<byte> nonce)
    {
        _iv.CopyTo(nonce);
        ulong tail = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ (ulong)packetNumber;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], tail);
    }

    private void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        if (_headerAesNi is not null)
        {
            Span<byte> block = stackalloc byte[16];
            _headerAesNi.ProcessBlock(sample, block);
            block[..mask.Length].CopyTo(mask);
        }
        else if (_headerEcb is not null)
        {
            sample.CopyTo(_sampleBlock);
            _headerEcb.TransformBlock(_sampleBlock, 0, 16, _maskBlock, 0);
            _maskBlock.AsSpan(0, mask.Length).CopyTo(mask);
        }
        else
        {
            // RFC 9001 section 5.4.4: counter = sample[0..4] little-endian, nonce = sample[4..16].
            uint counter = BinaryPrimitives.ReadUInt32LittleEndian(sample);
            ChaCha20Block.Keystream(_headerKey, counter, sample[4..], mask);
        }
    }

    private static HashAlgorithmName GetHash(TlsCipherSuite suite)
        => suite == TlsCipherSuite.Aes256GcmSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    private static int GetHashLength(TlsCipherSuite suite) => suite == TlsCipherSuite.Aes256GcmSha384 ? 48 : 32;

    private static int GetKeyLength(TlsCipherSuite suite) => suite switch
    {
        TlsCipherSuite.Aes128GcmSha256 => 16,
        TlsCipherSuite.Aes256GcmSha384 => 32,
        TlsCipherSuite.ChaCha20Poly1305Sha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "not a QUIC v1 cipher suite"),
    };
}
