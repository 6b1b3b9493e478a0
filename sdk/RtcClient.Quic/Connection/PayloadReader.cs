using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

/// <summary>
/// Reads the fields of frames in a decrypted packet payload; any truncation is the connection error
/// FRAME_ENCODING_ERROR (RFC 9000 section 12.4).
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _payload;

    /// <summary>Reads <paramref name="payload"/> from the start.</summary>
    public PayloadReader(ReadOnlySpan<byte> payload) => _payload = payload;

    /// <summary>Bytes consumed.</summary>
    public int Position { get; private set; }

    /// <summary>True when every byte was consumed.</summary>
    public readonly bool End => Position >= _payload.Length;

    /// <summary>The frame type being read, for error reports.</summary>
    public long FrameType { get; set; }

    /// <summary>Reads a varint.</summary>
    public long Varint()
    {
        if (!VariableLengthInteger.TryRead(_payload[Position..], out long value, out int read))
            throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "truncated frame", FrameType);
        Position += read;
        return value;
    }

    /// <summary>Reads <paramref name="length"/> bytes.</summary>
    public ReadOnlySpan<byte> Bytes(long length)
    {
        if (length < 0 || length > _payload.Length - Position)
            throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "frame length past the end of the packet", FrameType);
        var result = _payload.Slice(Position, (int)length);
        Position += (int)length;
        return result;
    }

    /// <summary>The rest of the payload.</summary>
    public ReadOnlySpan<byte> Rest()
    {
        var result = _payload[Position..];
        Position = _payload.Length;
        return result;
    }

    /// <summary>Skips consecutive PADDING bytes.</summary>
    public void SkipPadding()
    {
        while (Position < _payload.Length && _payload[Position] == 0) Position++;
    }
}
