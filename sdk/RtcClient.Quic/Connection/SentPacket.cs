namespace RtcClient.Quic.Connection;

/// <summary>A packet we sent and still track for acknowledgement and loss (RFC 9002 appendix A.1.1). Pooled.</summary>
internal sealed class SentPacket
{
    /// <summary>Packet number.</summary>
    public long PacketNumber;
    /// <summary>When it was sent (microseconds).</summary>
    public long TimeSent;
    /// <summary>Bytes it counts in flight (its size, when in flight).</summary>
    public int Size;
    /// <summary>Contains a frame other than ACK, PADDING or CONNECTION_CLOSE.</summary>
    public bool AckEliciting;
    /// <summary>Counts toward bytes in flight.</summary>
    public bool InFlight;
    /// <summary>Acknowledged or lost: about to leave the space's list.</summary>
    public bool Removed;
    /// <summary>The frames to repair if lost.</summary>
    public readonly List<SentFrame> Frames = new(4);

    /// <summary>Clears for reuse.</summary>
    public void Reset()
    {
        PacketNumber = 0;
        TimeSent = 0;
        Size = 0;
        AckEliciting = false;
        InFlight = false;
        Removed = false;
        Frames.Clear();
    }
}
