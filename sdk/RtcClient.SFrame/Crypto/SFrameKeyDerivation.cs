using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RtcClient.SFrame;

/// <summary>
/// Derivation of <c>sframe_key</c> and <c>sframe_salt</c> from a base key (RFC 9605 section 4.4.2),
/// with the BCL's HKDF and the hash of the cipher suite.
/// </summary>
public static class SFrameKeyDerivation
{
    /// <summary>Shortest base key accepted; shorter secrets are too weak to be a key.</summary>
    public const int MinBaseKeyLength = 16;

    /// <summary>Longest base key accepted (keeps the base key on the stack during derivation).</summary>
    public const int MaxBaseKeyLength = 64;

    private const int MaxLabelLength = 33;

    private static ReadOnlySpan<byte> KeyLabelPrefix => "SFrame 1.0 Secret key "u8;

    private static ReadOnlySpan<byte> SaltLabelPrefix => "SFrame 1.0 Secret salt "u8;

    /// <summary>Derives the AEAD key and the salt for one KID.</summary>
    /// <param name="suite">Cipher suite; selects the hash and the output sizes.</param>
    /// <param name="keyId">KID, mixed into both labels as an 8-byte big-endian integer.</param>
    /// <param name="baseKey">The base key associated with the KID.</param>
    /// <param name="sframeKey">Receives exactly <c>Nk</c> bytes.</param>
    /// <param name="sframeSalt">Receives exactly <c>Nn</c> bytes.</param>
    /// <exception cref="ArgumentException">A length does not match the suite, or the base key length is out of range.</exception>
    public static void DeriveKeyAndSalt(
        SFrameCipherSuite suite,
        ulong keyId,
        ReadOnlySpan<byte> baseKey,
        Span<byte> sframeKey,
        Span<byte> sframeSalt)
    {
        var parameters = SFrameCipherSuites.GetParameters(suite);
        if (sframeKey.Length != parameters.Nk)
        {
            throw new ArgumentException($"sframe_key is {parameters.Nk} bytes for {suite}.", nameof(sframeKey));
        }

        if (sframeSalt.Length != parameters.Nn)
        {
            throw new ArgumentException($"sframe_salt is {parameters.Nn} bytes for {suite}.", nameof(sframeSalt));
        }

        Span<byte> secret = stackalloc byte[64];
        secret = secret[..parameters.Nh];
        Span<byte> label = stackalloc byte[MaxLabelLength];
        try
        {
            ExtractSecret(parameters.Hash, baseKey, secret);
            int length = WriteLabel(KeyLabelPrefix, keyId, suite, label);
            HKDF.Expand(parameters.Hash, secret, sframeKey, label[..length]);
            length = WriteLabel(SaltLabelPrefix, keyId, suite, label);
            HKDF.Expand(parameters.Hash, secret, sframeSalt, label[..length]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary><c>sframe_secret = HKDF-Extract("", base_key)</c>.</summary>
    internal static void ExtractSecret(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, Span<byte> secret)
    {
        if (baseKey.Length is < MinBaseKeyLength or > MaxBaseKeyLength)
        {
            throw new ArgumentException(
                $"A base key is {MinBaseKeyLength} to {MaxBaseKeyLength} bytes.", nameof(baseKey));
        }

        HKDF.Extract(hash, baseKey, ReadOnlySpan<byte>.Empty, secret);
    }

    /// <summary>Writes <c>prefix + KID (8 bytes BE) + cipher_suite (2 bytes BE)</c>.</summary>
    internal static int WriteLabel(ReadOnlySpan<byte> prefix, ulong keyId, SFrameCipherSuite suite, Span<byte> destination)
    {
        prefix.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[prefix.Length..], keyId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(prefix.Length + 8)..], (ushort)suite);
        return prefix.Length + 10;
    }

    /// <summary>The <c>sframe_key</c> label for a KID (exposed for test vectors).</summary>
    internal static byte[] KeyLabel(ulong keyId, SFrameCipherSuite suite)
    {
        var label = new byte[KeyLabelPrefix.Length + 10];
        WriteLabel(KeyLabelPrefix, keyId, suite, label);
        return label;
    }

    /// <summary>The <c>sframe_salt</c> label for a KID (exposed for test vectors).</summary>
    internal static byte[] SaltLabel(ulong keyId, SFrameCipherSuite suite)
    {
        var label = new byte[SaltLabelPrefix.Length + 10];
        WriteLabel(SaltLabelPrefix, keyId, suite, label);
        return label;
    }
}
