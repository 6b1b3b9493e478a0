namespace RtcClient.Quic.Recovery;

/// <summary>
/// The record of one sent packet (RFC 9002 Appendix A.1.1) plus the frames it carried. Instances
/// are pooled by <see cref="LossDetector"/>: rent one with <see cref="LossDetector.RentPacket"/>, fill
/// it, hand it to <see cref="LossDetector.OnPacketSent"/>, and do not keep it after the acknowledged
/// or lost callback returns.
/// </summary>
public sealed class SentPacket
{
    private SentFrame[] _frames = new SentFrame[4];
    private int _frameCount;

    /// <summary>packet_number.</summary>
    public long PacketNumber { get; set; }

    /// <summary>time_sent, microseconds (set by <see cref="LossDetector.OnPacketSent"/>).</summary>
    public long TimeSent { get; internal set; }

    /// <summary>sent_bytes: the UDP payload bytes this packet used, as counted for congestion control.</summary>
    public int SentBytes { get; set; }

    /// <summary>ack_eliciting: the packet carried a frame other than ACK, PADDING or CONNECTION_CLOSE.</summary>
    public bool AckEliciting { get; set; }

    /// <summary>in_flight: counts toward bytes in flight (ack-eliciting or carrying PADDING).</summary>
    public bool InFlight { get; set; }

    /// <summary>
    /// A path MTU probe (RFC 9000 section 14.4): its loss is no congestion signal and does not count toward
    /// persistent congestion.
    /// </summary>
    public bool IsPathMtuProbe { get; set; }

    /// <summary>Largest Acknowledged of an ACK frame in this packet, or -1 when it carried none (for RFC 9000 section 13.2.4).</summary>
    public long LargestAcknowledged { get; set; } = -1;

    /// <summary>Frames recorded with <see cref="AddFrame"/>.</summary>
    public ReadOnlySpan<SentFrame> Frames => _frames.AsSpan(0, _frameCount);

    /// <summary>Records a frame carried by this packet.</summary>
    public void AddFrame(in SentFrame frame)
    {
        if (_frameCount == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }
        _frames[_frameCount++] = frame;
    }

    internal void Reset()
    {
        PacketNumber = 0;
        TimeSent = 0;
        SentBytes = 0;
        AckEliciting = false;
        InFlight = false;
        IsPathMtuProbe = false;
        LargestAcknowledged = -1;
        _frameCount = 0;
    }
}
