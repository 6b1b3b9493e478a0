using RtcClient.Media.Rtp;

namespace RtcClient.Media.Packetization;

/// <summary>
/// Frames audio payloads as RTP: one codec frame per packet (RFC 7587 for Opus, RFC 3551 for G.711),
/// timestamps advancing by one frame in the payload clock (48 kHz for Opus whatever the encoder's
/// rate), the marker bit on the first packet of a talkspurt (after frames not sent in DTX).
/// Owns the stream's sequence numbers, which telephone events share.
/// </summary>
public sealed class AudioPacketizer
{
    private bool _talkspurtStart = true;

    /// <summary>Creates a packetizer; random initial sequence number and timestamp per RFC 3550 come from the caller.</summary>
    public AudioPacketizer(byte payloadType, uint ssrc, int clockRate, TimeSpan frameDuration, ushort initialSequenceNumber, uint initialTimestamp)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        PayloadType = payloadType;
        Ssrc = ssrc;
        ClockRate = clockRate;
        FrameTimestampUnits = (uint)(clockRate * frameDuration.Ticks / TimeSpan.TicksPerSecond);
        ArgumentOutOfRangeException.ThrowIfZero(FrameTimestampUnits, nameof(frameDuration));
        NextSequenceNumber = initialSequenceNumber;
        Timestamp = initialTimestamp;
    }

    /// <summary>Opus per RFC 7587: 48 kHz RTP clock.</summary>
    public static AudioPacketizer ForOpus(byte payloadType, uint ssrc, TimeSpan frameDuration, ushort initialSequenceNumber, uint initialTimestamp) =>
        new(payloadType, ssrc, 48000, frameDuration, initialSequenceNumber, initialTimestamp);

    /// <summary>G.711 (PCMU 0 / PCMA 8): 8 kHz RTP clock, one octet per sample.</summary>
    public static AudioPacketizer ForG711(byte payloadType, uint ssrc, TimeSpan frameDuration, ushort initialSequenceNumber, uint initialTimestamp) =>
        new(payloadType, ssrc, 8000, frameDuration, initialSequenceNumber, initialTimestamp);

    /// <summary>Payload type of the audio packets.</summary>
    public byte PayloadType { get; }

    /// <summary>Synchronization source.</summary>
    public uint Ssrc { get; }

    /// <summary>RTP clock rate.</summary>
    public int ClockRate { get; }

    /// <summary>Timestamp units per frame.</summary>
    public uint FrameTimestampUnits { get; }

    /// <summary>Sequence number the next packet gets.</summary>
    public ushort NextSequenceNumber { get; private set; }

    /// <summary>Timestamp of the current (next) frame.</summary>
    public uint Timestamp { get; private set; }

    /// <summary>
    /// Writes the RTP packet for the current frame and moves to the next frame; returns bytes
    /// written, or 0 when it does not fit (the frame is then skipped).
    /// </summary>
    public int Packetize(ReadOnlySpan<byte> payload, Span<byte> destination, AudioLevel? audioLevel = null) =>
        Packetize(payload, destination, audioLevel, PayloadType);

    /// <summary>
    /// Like <see cref="Packetize(ReadOnlySpan{byte}, Span{byte}, AudioLevel?)"/> with another payload type of
    /// the same stream (RFC 3389 comfort noise). A comfort-noise frame does not end the silence: the
    /// next audio packet still starts a talkspurt.
    /// </summary>
    public int Packetize(ReadOnlySpan<byte> payload, Span<byte> destination, AudioLevel? audioLevel, byte payloadType)
    {
        bool comfortNoise = payloadType != PayloadType;
        var header = new RtpHeader(payloadType, NextSequenceNumber, Timestamp, Ssrc, _talkspurtStart && !comfortNoise);
        int n = RtpPacketWriter.Write(destination, header, payload, audioLevel);
        if (n == 0)
        {
            Skip();
            return 0;
        }
        NextSequenceNumber++;
        Timestamp += FrameTimestampUnits;
        _talkspurtStart = comfortNoise;
        return n;
    }

    /// <summary>The current frame is not sent (DTX, silence, telephone event): time moves on, the next packet starts a talkspurt.</summary>
    public void Skip()
    {
        Timestamp += FrameTimestampUnits;
        _talkspurtStart = true;
    }

    /// <summary>Takes a sequence number for another payload of the same stream (telephone events).</summary>
    public ushort TakeSequenceNumber() => NextSequenceNumber++;
}
