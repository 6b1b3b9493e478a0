using System.Buffers.Binary;

namespace RtcClient.Media.Dtmf;

/// <summary>The 4-byte payload of an RFC 4733 telephone-event packet.</summary>
/// <param name="Event">Event code (0-9 digits, 10 '*', 11 '#', 12-15 A-D).</param>
/// <param name="End">E bit: this packet ends the event.</param>
/// <param name="Volume">Power level in -dBm0 (0-63).</param>
/// <param name="Duration">Duration so far in timestamp units.</param>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    /// <summary>Payload size.</summary>
    public const int Length = 4;

    /// <summary>Writes the payload.</summary>
    public void Write(Span<byte> destination)
    {
        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
    }

    /// <summary>Reads a payload; false when it is shorter than 4 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent value)
    {
        if (payload.Length < Length)
        {
            value = default;
            return false;
        }
        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>Event code for a DTMF character (0-9, *, #, A-D); -1 if none.</summary>
    public static int FromDigit(char digit) => digit switch
    {
        >= '0' and <= '9' => digit - '0',
        '*' => 10,
        '#' => 11,
        >= 'A' and <= 'D' => 12 + digit - 'A',
        >= 'a' and <= 'd' => 12 + digit - 'a',
        _ => -1,
    };

    /// <summary>DTMF character for an event code; '\0' for non-DTMF events.</summary>
    public static char ToDigit(int code) => code switch
    {
        >= 0 and <= 9 => (char)('0' + code),
        10 => '*',
        11 => '#',
        >= 12 and <= 15 => (char)('A' + code - 12),
        _ => '\0',
    };
}
