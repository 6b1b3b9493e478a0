using System.Buffers.Binary;

namespace RtcClient.Media.Rtcp;

/// <summary>
/// Iterates the packets of a compound RTCP packet (RFC 3550 section 6.1), validating version and
/// lengths. Stops at the first malformed packet and sets <see cref="Malformed"/>.
/// </summary>
public ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    /// <summary>Reads the compound packet in <paramref name="data"/>.</summary>
    public RtcpCompoundReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        Malformed = false;
    }

    /// <summary>True when a packet with a bad version, length or padding was met.</summary>
    public bool Malformed { get; private set; }

    /// <summary>Reads the next packet; false at the end or on malformed input.</summary>
    public bool TryReadNext(out RtcpPacket packet)
    {
        packet = default;
        if (Malformed || _offset >= _data.Length)
            return false;
        var rest = _data[_offset..];
        if (rest.Length < 4 || rest[0] >> 6 != 2)
            return Fail();
        int length = (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1) * 4;
        if (length > rest.Length)
            return Fail();
        var body = rest[4..length];
        if ((rest[0] & 0x20) != 0)
        {
            int padding = rest[length - 1];
            if (padding == 0 || padding > body.Length)
                return Fail();
            body = body[..^padding];
        }
        packet = new RtcpPacket(rest[1], rest[0] & 0x1F, body);
        _offset += length;
        return true;
    }

    private bool Fail()
    {
        Malformed = true;
        return false;
    }
}
