namespace RtcClient.Media.Rtp;

/// <summary>
/// Walks the elements of an RFC 8285 header extension, one-byte (profile 0xBEDE) or two-byte
/// (profile 0x100X) form. Stops quietly at the first malformed element.
/// </summary>
public ref struct RtpHeaderExtensionReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly RtpHeaderExtensionForm _form;
    private int _offset;

    /// <summary>Reads the body of an extension with the given profile field.</summary>
    public RtpHeaderExtensionReader(ushort profile, ReadOnlySpan<byte> body)
    {
        _data = body;
        _form = profile == RtpHeaderExtensionWriter.OneByteProfile ? RtpHeaderExtensionForm.OneByte
            : (profile & 0xFFF0) == RtpHeaderExtensionWriter.TwoByteProfile ? RtpHeaderExtensionForm.TwoByte
            : RtpHeaderExtensionForm.None;
        _offset = 0;
        Malformed = false;
    }

    /// <summary>True when an element ran past the end of the extension.</summary>
    public bool Malformed { get; private set; }

    /// <summary>Reads the next element; false at the end, on an unknown profile or on malformed data.</summary>
    public bool TryReadNext(out int id, out ReadOnlySpan<byte> value)
    {
        id = 0;
        value = default;
        if (_form == RtpHeaderExtensionForm.None)
            return false;
        while (_offset < _data.Length)
        {
            byte first = _data[_offset];
            if (first == 0)
            {
                _offset++; // padding between elements
                continue;
            }
            int length;
            int headerLength;
            if (_form == RtpHeaderExtensionForm.OneByte)
            {
                id = first >> 4;
                if (id == 15)
                {
                    // Reserved id: the rest of the extension must be ignored (RFC 8285 section 4.2).
                    _offset = _data.Length;
                    return false;
                }
                length = (first & 0x0F) + 1;
                headerLength = 1;
            }
            else
            {
                if (_offset + 1 >= _data.Length)
                    return Fail();
                id = first;
                length = _data[_offset + 1];
                headerLength = 2;
            }
            int start = _offset + headerLength;
            if (start + length > _data.Length)
                return Fail();
            value = _data.Slice(start, length);
            _offset = start + length;
            return true;
        }
        return false;
    }

    private bool Fail()
    {
        Malformed = true;
        _offset = _data.Length;
        return false;
    }
}
