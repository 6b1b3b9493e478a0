namespace RtcClient.Media;

/// <summary>
/// Carries an SFrame-protected H.264 access unit through the RFC 6184 packetizer and assembler,
/// which split and join Annex-B NAL units: the ciphertext travels as the payload of one NAL unit
/// (type 5 for key frames so the receiver's key-frame logic keeps working, type 1 otherwise), with
/// H.264 emulation prevention (0x03 after two zero bytes) so it never contains a start code, and a
/// final 0x80 so it never ends in a zero byte.
/// </summary>
internal static class SFrameVideoFraming
{
    private const byte KeyFrameHeader = 0x65; // nal_ref_idc 3, IDR slice
    private const byte DeltaFrameHeader = 0x41; // nal_ref_idc 2, non-IDR slice
    private const byte TrailingByte = 0x80; // like rbsp_stop_one_bit: always last, removed on unwrap

    /// <summary>Largest wrapped size of a protected frame.</summary>
    public static int MaxWrappedLength(int protectedLength) => 5 + protectedLength + protectedLength / 2 + 1;

    /// <summary>Writes start code, NAL header and the escaped frame; returns the length.</summary>
    public static int Wrap(ReadOnlySpan<byte> protectedFrame, bool keyFrame, Span<byte> destination)
    {
        destination[0] = 0;
        destination[1] = 0;
        destination[2] = 0;
        destination[3] = 1;
        destination[4] = keyFrame ? KeyFrameHeader : DeltaFrameHeader;
        int n = 5, zeros = 0;
        foreach (byte b in protectedFrame)
        {
            if (zeros >= 2 && b <= 3)
            {
                destination[n++] = 3;
                zeros = 0;
            }
            destination[n++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        destination[n++] = TrailingByte; // a NAL unit must not end in a zero byte
        return n;
    }

    /// <summary>Recovers the protected frame from an assembled access unit; false when it is not one NAL unit as <see cref="Wrap"/> makes it.</summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> accessUnit, Span<byte> destination, out int length)
    {
        length = 0;
        int i = 0;
        while (i < accessUnit.Length && accessUnit[i] == 0)
            i++;
        if (i < 2 || i + 1 >= accessUnit.Length || accessUnit[i] != 1)
            return false;
        var nal = accessUnit[(i + 2)..]; // after the start code and the NAL header
        int zeros = 0;
        foreach (byte b in nal)
        {
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }
            if (zeros >= 2 && b <= 2)
                return false; // a second start code: not our single NAL unit
            if (length == destination.Length)
                return false;
            destination[length++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        if (length == 0 || destination[length - 1] != TrailingByte)
            return false;
        length--;
        return true;
    }
}
