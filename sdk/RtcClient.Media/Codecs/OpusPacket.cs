namespace RtcClient.Media.Codecs;

/// <summary>Reads the table-of-contents byte of an Opus packet (RFC 6716 section 3.1).</summary>
public static class OpusPacket
{
    /// <summary>
    /// True for a DTX frame: a packet of at most 2 bytes carries no audio (RFC 7587 section 3.1.3); an
    /// encoder in DTX sends one when it goes silent, and the decoder fills the gap with comfort noise.
    /// </summary>
    public static bool IsDtx(ReadOnlySpan<byte> packet) => packet.Length <= 2;

    /// <summary>
    /// Samples per channel the packet decodes to at 48 kHz, or -1 when the packet is malformed (empty,
    /// missing frame count, or over 120 ms).
    /// </summary>
    public static int GetSamples48k(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
            return -1;
        int config = packet[0] >> 3;
        int frame = config switch
        {
            < 12 => (config & 3) switch { 0 => 480, 1 => 960, 2 => 1920, _ => 2880 },
            < 16 => (config & 1) == 0 ? 480 : 960,
            _ => (config & 3) switch { 0 => 120, 1 => 240, 2 => 480, _ => 960 },
        };
        int frames;
        switch (packet[0] & 3)
        {
            case 0:
                frames = 1;
                break;
            case 1:
            case 2:
                frames = 2;
                break;
            default:
                if (packet.Length < 2)
                    return -1;
                frames = packet[1] & 0x3F;
                if (frames == 0)
                    return -1;
                break;
        }
        int total = frame * frames;
        return total > 5760 ? -1 : total;
    }
}
