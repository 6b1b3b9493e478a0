using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

/// <summary>Writes frame fields into a packet payload being built; callers check room first.</summary>
internal ref struct PayloadWriter
{
    private readonly Span<byte> _buffer;

    /// <summary>Writes into <paramref name="buffer"/> from the start.</summary>
    public PayloadWriter(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Bytes written.</summary>
    public int Position { get; set; }

    /// <summary>Room left.</summary>
    public readonly int Remaining => _buffer.Length - Position;

    /// <summary>Writes a varint.</summary>
    public void Varint(long value)
    {
        VariableLengthInteger.TryWrite(_buffer[Position..], value, out int written);
        Position += written;
    }

    /// <summary>Writes one byte.</summary>
    public void Byte(byte value) => _buffer[Position++] = value;

    /// <summary>Writes bytes.</summary>
    public void Bytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[Position..]);
        Position += value.Length;
    }

    /// <summary>Reserves <paramref name="length"/> bytes and returns them to fill.</summary>
    public Span<byte> Reserve(int length)
    {
        var span = _buffer.Slice(Position, length);
        Position += length;
        return span;
    }
}
