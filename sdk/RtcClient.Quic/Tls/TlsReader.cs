namespace RtcClient.Quic.Tls;

/// <summary>
/// Bounds-checked reader for TLS presentation-language structures (RFC 8446 section 3). Every
/// overrun becomes a decode_error alert, so hostile input cannot raise any other exception.
/// </summary>
internal ref struct TlsReader
{
    private ReadOnlySpan<byte> _data;

    /// <summary>Reads from <paramref name="data"/>.</summary>
    public TlsReader(ReadOnlySpan<byte> data) => _data = data;

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool IsEmpty => _data.IsEmpty;

    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _data.Length;

    /// <summary>Reads one byte.</summary>
    public byte ReadUInt8() => ReadBytes(1)[0];

    /// <summary>Reads a big-endian 16-bit value.</summary>
    public ushort ReadUInt16()
    {
        var b = ReadBytes(2);
        return (ushort)(b[0] << 8 | b[1]);
    }

    /// <summary>Reads a big-endian 24-bit value.</summary>
    public int ReadUInt24()
    {
        var b = ReadBytes(3);
        return b[0] << 16 | b[1] << 8 | b[2];
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        if (length < 0 || length > _data.Length) throw Truncated();
        var result = _data[..length];
        _data = _data[length..];
        return result;
    }

    /// <summary>Reads a vector with a one-byte length prefix.</summary>
    public ReadOnlySpan<byte> ReadVector8() => ReadBytes(ReadUInt8());

    /// <summary>Reads a vector with a two-byte length prefix.</summary>
    public ReadOnlySpan<byte> ReadVector16() => ReadBytes(ReadUInt16());

    /// <summary>Reads a vector with a three-byte length prefix.</summary>
    public ReadOnlySpan<byte> ReadVector24() => ReadBytes(ReadUInt24());

    /// <summary>Fails with decode_error unless every byte was consumed (no trailing garbage).</summary>
    public readonly void EnsureEnd(string what)
    {
        if (!_data.IsEmpty) throw new TlsAlertException(TlsAlert.DecodeError, $"trailing bytes after {what}");
    }

    private static TlsAlertException Truncated() => new(TlsAlert.DecodeError, "truncated TLS structure");
}
