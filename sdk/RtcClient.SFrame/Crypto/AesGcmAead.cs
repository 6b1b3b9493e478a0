using System.Buffers;
using System.Security.Cryptography;

namespace RtcClient.SFrame;

/// <summary>AES-GCM suites (0x0004, 0x0005) on the BCL's <see cref="AesGcm"/>.</summary>
internal sealed class AesGcmAead : SFrameAead
{
    // Header plus typical metadata fits on the stack; larger metadata goes through the pool.
    private const int StackAadLimit = 256;

    private readonly AesGcm _gcm;
    private readonly int _tagLength;

    public AesGcmAead(in SFrameCipherSuiteParameters parameters, ReadOnlySpan<byte> sframeKey)
    {
        _tagLength = parameters.Nt;
        _gcm = new AesGcm(sframeKey, _tagLength);
    }

    public override int TagLength => _tagLength;

    public override void Seal(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> plaintext,
        Span<byte> ciphertext,
        Span<byte> tag) =>
        Process(seal: true, nonce, header, metadata, plaintext, ciphertext, tag, tag);

    public override bool TryOpen(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        Span<byte> plaintext) =>
        Process(seal: false, nonce, header, metadata, ciphertext, plaintext, tag, default);

    /// <summary>Runs GCM with <c>aad = header || metadata</c>, copying only when metadata is present.</summary>
    private bool Process(
        bool seal,
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> input,
        Span<byte> output,
        ReadOnlySpan<byte> tagIn,
        Span<byte> tagOut)
    {
        int aadLength = header.Length + metadata.Length;
        byte[]? rented = null;
        Span<byte> buffer = metadata.IsEmpty ? default
            : aadLength <= StackAadLimit ? stackalloc byte[StackAadLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(aadLength));
        try
        {
            if (!metadata.IsEmpty)
            {
                header.CopyTo(buffer);
                metadata.CopyTo(buffer[header.Length..]);
            }

            ReadOnlySpan<byte> aad = metadata.IsEmpty ? header : buffer[..aadLength];

            if (seal)
            {
                _gcm.Encrypt(nonce, input, output, tagOut, aad);
                return true;
            }

            // AesGcm compares tags in constant time and clears the output on failure.
            _gcm.Decrypt(nonce, input, tagIn, output, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public override void Dispose() => _gcm.Dispose();
}
