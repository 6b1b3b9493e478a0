namespace RtcClient.Quic.Tls;

/// <summary>
/// Growable writer for TLS structures with back-patched length prefixes. Used on the cold
/// handshake path only, so it trades allocation for simplicity.
/// </summary>
internal sealed class TlsWriter
{
    private byte[] _buffer = new byte[512];

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The written bytes.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    /// <summary>Copies the written bytes into a new array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Writes one byte.</summary>
    public void WriteUInt8(int value) => Grow(1)[0] = (byte)value;

    /// <summary>Writes a big-endian 16-bit value.</summary>
    public void WriteUInt16(int value)
    {
        var s = Grow(2);
        s[0] = (byte)(value >> 8);
        s[1] = (byte)value;
    }

    /// <summary>Writes a big-endian 24-bit value.</summary>
    public void WriteUInt24(int value)
    {
        var s = Grow(3);
        s[0] = (byte)(value >> 16);
        s[1] = (byte)(value >> 8);
        s[2] = (byte)value;
    }

    /// <summary>Writes raw bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> data) => data.CopyTo(Grow(data.Length));

    /// <summary>Reserves a length prefix of <paramref name="prefixBytes"/> bytes; pass the result to <see cref="EndVector"/>.</summary>
    public int BeginVector(int prefixBytes)
    {
        Grow(prefixBytes);
        return Length;
    }

    /// <summary>Back-patches the length prefix reserved by <see cref="BeginVector"/>.</summary>
    public void EndVector(int start, int prefixBytes)
    {
        int length = Length - start;
        if (length >= 1 << (8 * prefixBytes)) throw new InvalidOperationException("TLS vector too long for its length prefix");
        for (int i = 0; i < prefixBytes; i++)
            _buffer[start - 1 - i] = (byte)(length >> (8 * i));
    }

    private Span<byte> Grow(int count)
    {
        if (Length + count > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
