using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RtcClient.SFrame;

/// <summary>
/// The derived state of one KID: <c>sframe_key</c> inside a cached AEAD object, and
/// <c>sframe_salt</c>. Implements <c>encrypt</c>/<c>decrypt</c> of RFC 9605 sections 4.4.3-4.4.4
/// into caller spans without allocating. Not thread-safe, and does not track counters: its owner
/// (<see cref="SFrameSender"/>, <see cref="SFrameReceiver"/>) does both.
/// </summary>
internal sealed class SFrameKey : IDisposable
{
    private const int MaxNonceLength = 12;

    private readonly SFrameAead _aead;
    private readonly byte[] _salt;

    private SFrameKey(SFrameCipherSuiteParameters parameters, ulong keyId, SFrameAead aead, byte[] salt)
    {
        Parameters = parameters;
        KeyId = keyId;
        _aead = aead;
        _salt = salt;
    }

    public SFrameCipherSuiteParameters Parameters { get; }

    public ulong KeyId { get; }

    public int TagLength => Parameters.Nt;

    /// <summary>Derives key and salt for <paramref name="keyId"/> from its base key and keys the AEAD.</summary>
    public static SFrameKey Derive(SFrameCipherSuite suite, ulong keyId, ReadOnlySpan<byte> baseKey)
    {
        var parameters = SFrameCipherSuites.GetParameters(suite);
        Span<byte> key = stackalloc byte[64];
        key = key[..parameters.Nk];
        var salt = new byte[parameters.Nn];
        try
        {
            SFrameKeyDerivation.DeriveKeyAndSalt(suite, keyId, baseKey, key, salt);
            return new SFrameKey(parameters, keyId, SFrameAead.Create(parameters, key), salt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Asks the provider for the base key of a KID and derives its key, wiping the base key copy.</summary>
    /// <returns><see langword="null"/> when the provider has no key for that KID and usage.</returns>
    public static SFrameKey? TryFetch(ISFrameKeyProvider provider, SFrameCipherSuite suite, ulong keyId, SFrameKeyUsage usage)
    {
        Span<byte> baseKey = stackalloc byte[SFrameKeyDerivation.MaxBaseKeyLength];
        try
        {
            return provider.TryGetBaseKey(keyId, usage, baseKey, out int length)
                ? Derive(suite, keyId, baseKey[..length])
                : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(baseKey);
        }
    }

    /// <summary>Length of the SFrame ciphertext for a plaintext under a given counter.</summary>
    public int GetCiphertextLength(ulong counter, int plaintextLength) =>
        new SFrameHeader(KeyId, counter).EncodedLength + plaintextLength + TagLength;

    /// <summary>
    /// Writes <c>header || AEAD.Encrypt(sframe_key, nonce, header || metadata, plaintext)</c>.
    /// The caller guarantees the counter was never used with this key.
    /// </summary>
    public SFrameStatus Encrypt(ulong counter, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> plaintext, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        var header = new SFrameHeader(KeyId, counter);
        int headerLength = header.EncodedLength;
        int total = headerLength + plaintext.Length + TagLength;
        if (destination.Length < total)
        {
            return SFrameStatus.DestinationTooSmall;
        }

        if (destination[..total].Overlaps(plaintext) || destination[..total].Overlaps(metadata))
        {
            throw new ArgumentException("The destination must not overlap the plaintext or metadata.", nameof(destination));
        }

        header.TryEncode(destination, out _);
        Span<byte> nonce = stackalloc byte[MaxNonceLength];
        nonce = FormNonce(counter, nonce);
        _aead.Seal(
            nonce,
            destination[..headerLength],
            metadata,
            plaintext,
            destination.Slice(headerLength, plaintext.Length),
            destination.Slice(headerLength + plaintext.Length, TagLength));
        bytesWritten = total;
        return SFrameStatus.Success;
    }

    /// <summary>
    /// Authenticates and decrypts the part of an SFrame ciphertext after an already decoded header.
    /// </summary>
    /// <param name="header">Decoded header; its KID must be this key's.</param>
    /// <param name="encodedHeader">The header bytes exactly as received (they are the AAD).</param>
    /// <param name="body">Ciphertext followed by the tag.</param>
    /// <param name="metadata">Application metadata authenticated with the header.</param>
    /// <param name="destination">Receives the plaintext (body length minus tag length).</param>
    /// <param name="bytesWritten">Plaintext length on success, otherwise 0.</param>
    public SFrameStatus Decrypt(
        SFrameHeader header,
        ReadOnlySpan<byte> encodedHeader,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<byte> metadata,
        Span<byte> destination,
        out int bytesWritten)
    {
        bytesWritten = 0;
        if (body.Length < TagLength)
        {
            return SFrameStatus.MalformedFrame;
        }

        int plaintextLength = body.Length - TagLength;
        if (destination.Length < plaintextLength)
        {
            return SFrameStatus.DestinationTooSmall;
        }

        var plaintext = destination[..plaintextLength];
        if (plaintext.Overlaps(body) || plaintext.Overlaps(encodedHeader) || plaintext.Overlaps(metadata))
        {
            throw new ArgumentException("The destination must not overlap the ciphertext or metadata.", nameof(destination));
        }

        Span<byte> nonce = stackalloc byte[MaxNonceLength];
        nonce = FormNonce(header.Counter, nonce);
        if (!_aead.TryOpen(nonce, encodedHeader, metadata, body[..plaintextLength], body[plaintextLength..], plaintext))
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return SFrameStatus.AuthenticationFailed;
        }

        bytesWritten = plaintextLength;
        return SFrameStatus.Success;
    }

    public void Dispose()
    {
        _aead.Dispose();
        CryptographicOperations.ZeroMemory(_salt);
    }

    /// <summary><c>nonce = sframe_salt XOR encode_big_endian(CTR, Nn)</c>.</summary>
    internal Span<byte> FormNonce(ulong counter, Span<byte> nonce)
    {
        nonce = nonce[.._salt.Length];
        _salt.CopyTo(nonce);
        var low = nonce[^8..];
        BinaryPrimitives.WriteUInt64BigEndian(low, BinaryPrimitives.ReadUInt64BigEndian(low) ^ counter);
        return nonce;
    }
}
