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
        Span<byte> tag)
    {
        if (metadata.IsEmpty)
        {
            _gcm.Encrypt(nonce, plaintext, ciphertext, tag, header);
            return;
        }

        int aadLength = header.Length + metadata.Length;
        byte[]? rented = null;
        Span<byte> aad = aadLength <= StackAadLimit
            ? stackalloc byte[StackAadLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(aadLength));
        try
        {
            aad = Concat(header, metadata, aad);
            _gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public override bool TryOpen(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        Span<byte> plaintext)
    {
        if (metadata.IsEmpty)
        {
            return Decrypt(nonce, ciphertext, tag, plaintext, header);
        }

        int aadLength = header.Length + metadata.Length;
        byte[]? rented = null;
        Span<byte> aad = aadLength <= StackAadLimit
            ? stackalloc byte[StackAadLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(aadLength));
        try
        {
            return Decrypt(nonce, ciphertext, tag, plaintext, Concat(header, metadata, aad));
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

    private bool Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        try
        {
            // AesGcm compares tags in constant time and clears the plaintext on failure.
            _gcm.Decrypt(nonce, ciphertext, tag, plaintext, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private static Span<byte> Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> buffer)
    {
        first.CopyTo(buffer);
        second.CopyTo(buffer[first.Length..]);
        return buffer[..(first.Length + second.Length)];
    }
}
