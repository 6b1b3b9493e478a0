namespace RtcClient.SFrame;

/// <summary>
/// The AEAD of a cipher suite, keyed once with <c>sframe_key</c> and reused for every frame of
/// that key. The associated data is <c>header + metadata</c>, passed as two spans so callers never
/// concatenate. Not thread-safe: its owner serializes calls.
/// </summary>
internal abstract class SFrameAead : IDisposable
{
    /// <summary>Authentication tag length (<c>Nt</c>).</summary>
    public abstract int TagLength { get; }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (same length) and writes the tag.</summary>
    public abstract void Seal(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> plaintext,
        Span<byte> ciphertext,
        Span<byte> tag);

    /// <summary>
    /// Authenticates and decrypts. On failure returns <see langword="false"/> and leaves no
    /// unauthenticated plaintext in <paramref name="plaintext"/>.
    /// </summary>
    public abstract bool TryOpen(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        Span<byte> plaintext);

    /// <inheritdoc />
    public abstract void Dispose();

    /// <summary>Creates the AEAD for a suite from its <c>sframe_key</c>.</summary>
    public static SFrameAead Create(in SFrameCipherSuiteParameters parameters, ReadOnlySpan<byte> sframeKey) =>
        parameters.IsCtrHmac
            ? new AesCtrHmacAead(parameters, sframeKey)
            : new AesGcmAead(parameters, sframeKey);
}
