using System.Buffers.Binary;

namespace RtcClient.Media.Rtp;

/// <summary>
/// Builds an RFC 8285 header extension in place: the 4-byte extension header, the elements, then
/// zero padding to a 32-bit boundary.
/// </summary>
public ref struct RtpHeaderExtensionWriter
{
    /// <summary>Profile field of the one-byte form.</summary>
    public const ushort OneByteProfile = 0xBEDE;

    /// <summary>Profile field of the two-byte form (low 4 bits are application bits, zero here).</summary>
    public const ushort TwoByteProfile = 0x1000;

    private readonly Span<byte> _destination;
    private readonly RtpHeaderExtensionForm _form;
    private int _offset;

    /// <summary>Starts an extension at <paramref name="destination"/>.</summary>
    public RtpHeaderExtensionWriter(Span<byte> destination, RtpHeaderExtensionForm form)
    {
        if (form == RtpHeaderExtensionForm.None)
            throw new ArgumentOutOfRangeException(nameof(form));
        if (destination.Length < 4)
            throw new ArgumentException("no room for the extension header", nameof(destination));
        _destination = destination;
        _form = form;
        _offset = 4;
    }

    /// <summary>Appends one element; false when it does not fit or the id/length is not allowed in this form.</summary>
    public bool TryAdd(int id, scoped ReadOnlySpan<byte> value)
    {
        int headerLength;
        if (_form == RtpHeaderExtensionForm.OneByte)
        {
            if (id is < 1 or > 14 || value.Length is < 1 or > 16)
                return false;
            headerLength = 1;
        }
        else
        {
            if (id is < 1 or > 255 || value.Length > 255)
                return false;
            headerLength = 2;
        }
        if (_offset + headerLength + value.Length > _destination.Length)
            return false;
        if (_form == RtpHeaderExtensionForm.OneByte)
        {
            _destination[_offset] = (byte)((id << 4) | (value.Length - 1));
        }
        else
        {
            _destination[_offset] = (byte)id;
            _destination[_offset + 1] = (byte)value.Length;
        }
        value.CopyTo(_destination[(_offset + headerLength)..]);
        _offset += headerLength + value.Length;
        return true;
    }

    /// <summary>Pads, writes the extension header and returns the total extension length (0 when padding does not fit).</summary>
    public int Complete()
    {
        int padded = (_offset + 3) & ~3;
        if (padded > _destination.Length)
            return 0;
        _destination[_offset..padded].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(_destination, _form == RtpHeaderExtensionForm.OneByte ? OneByteProfile : TwoByteProfile);
        BinaryPrimitives.WriteUInt16BigEndian(_destination[2..], (ushort)((padded - 4) / 4));
        return padded;
    }
}
