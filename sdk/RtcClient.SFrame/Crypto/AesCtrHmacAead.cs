using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Security.Cryptography;

namespace RtcClient.SFrame;

/// <summary>
/// The AES-CTR + HMAC compound AEAD of RFC 9605 section 4.5.1 (suites 0x0001-0x0003):
/// <c>sframe_key = enc_key (Nka) || auth_key (Nh)</c>, encrypt-then-MAC, tag truncated to Nt.
/// AES-CTR is the BCL's AES block function (ECB over counter blocks) XORed into the data; the
/// BCL has no CTR mode.
/// </summary>
internal sealed class AesCtrHmacAead : SFrameAead
{
    private const int BlockSize = 16;

    // Keystream is produced in chunks through two fixed buffers, so no frame size allocates.
    private const int ChunkSize = 2048;

    private readonly Aes _aes;
    private readonly ICryptoTransform _blockCipher;
    private readonly IncrementalHash _hmac;
    private readonly int _tagLength;
    private readonly byte[] _counterBlocks = new byte[ChunkSize];
    private readonly byte[] _keystream = new byte[ChunkSize];

    [SuppressMessage("Security", "CA5358:Review cipher mode usage", Justification = "ECB is only the raw AES block function under CTR mode.")]
    public AesCtrHmacAead(in SFrameCipherSuiteParameters parameters, ReadOnlySpan<byte> sframeKey)
    {
        _tagLength = parameters.Nt;
        var encKey = sframeKey[..parameters.Nka].ToArray();
        try
        {
            _aes = Aes.Create();
            _aes.Mode = CipherMode.ECB;
            _aes.Padding = PaddingMode.None;
            _blockCipher = _aes.CreateEncryptor(encKey, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encKey);
        }

        _hmac = IncrementalHash.CreateHMAC(parameters.Hash, sframeKey[parameters.Nka..]);
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
        ApplyKeystream(nonce, plaintext, ciphertext);
        Span<byte> fullTag = stackalloc byte[64];
        int length = ComputeTag(nonce, header, metadata, ciphertext, fullTag);
        fullTag[.._tagLength].CopyTo(tag);
        CryptographicOperations.ZeroMemory(fullTag[..length]);
    }

    public override bool TryOpen(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        Span<byte> plaintext)
    {
        Span<byte> candidate = stackalloc byte[64];
        int length = ComputeTag(nonce, header, metadata, ciphertext, candidate);
        bool authentic = tag.Length == _tagLength &&
            CryptographicOperations.FixedTimeEquals(tag, candidate[.._tagLength]);
        CryptographicOperations.ZeroMemory(candidate[..length]);
        if (!authentic)
        {
            return false;
        }

        ApplyKeystream(nonce, ciphertext, plaintext);
        return true;
    }

    public override void Dispose()
    {
        _blockCipher.Dispose();
        _aes.Dispose();
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
    }

    /// <summary>HMAC over <c>len(aad) || len(ct) || Nt || nonce || aad || ct</c>, lengths as 8-byte big-endian.</summary>
    private int ComputeTag(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> metadata,
        ReadOnlySpan<byte> ciphertext,
        Span<byte> destination)
    {
        Span<byte> lengths = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(lengths, (ulong)(header.Length + metadata.Length));
        BinaryPrimitives.WriteUInt64BigEndian(lengths[8..], (ulong)ciphertext.Length);
        BinaryPrimitives.WriteUInt64BigEndian(lengths[16..], (ulong)_tagLength);
        _hmac.AppendData(lengths);
        _hmac.AppendData(nonce);
        _hmac.AppendData(header);
        _hmac.AppendData(metadata);
        _hmac.AppendData(ciphertext);
        return _hmac.GetHashAndReset(destination);
    }

    /// <summary>AES-CTR with initial counter block <c>nonce || 0x00000000</c>, incrementing the low 32 bits.</summary>
    private void ApplyKeystream(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> input, Span<byte> output)
    {
        // A frame is at most int.MaxValue bytes, far below the 2^32 blocks the 32-bit counter allows.
        uint blockCounter = 0;
        int prefilledBlocks = 0;
        for (int offset = 0; offset < input.Length; offset += ChunkSize)
        {
            int chunk = Math.Min(ChunkSize, input.Length - offset);
            int blocks = (chunk + BlockSize - 1) / BlockSize;
            for (int b = 0; b < blocks; b++)
            {
                var block = _counterBlocks.AsSpan(b * BlockSize, BlockSize);
                if (b >= prefilledBlocks)
                {
                    nonce.CopyTo(block);
                }

                BinaryPrimitives.WriteUInt32BigEndian(block[12..], blockCounter++);
            }

            prefilledBlocks = Math.Max(prefilledBlocks, blocks);
            _blockCipher.TransformBlock(_counterBlocks, 0, blocks * BlockSize, _keystream, 0);
            Xor(input.Slice(offset, chunk), _keystream.AsSpan(0, chunk), output.Slice(offset, chunk));
        }
    }

    private static void Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(a[i..]) ^ new Vector<byte>(b[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            destination[i] = (byte)(a[i] ^ b[i]);
        }
    }
}
