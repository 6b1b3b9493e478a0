using RtcClient.Media.Rtp;

namespace RtcClient.Media.Rtcp;

/// <summary>
/// The RTCP side of receiving one RTP source: remembers the last SR (for LSR/DLSR), builds report
/// blocks from an <see cref="RtpReceptionTracker"/>, and computes RTT from report blocks the remote
/// sends about a local source (RFC 3550 section 6.4.1: RTT = A - LSR - DLSR).
/// </summary>
public sealed class RtcpReceptionReporter
{
    private uint _lastSrCompact;
    private TimeSpan _lastSrArrival;
    private bool _haveSr;

    /// <summary>Latest round-trip time, null until a report block with LSR arrived.</summary>
    public TimeSpan? RoundTripTime { get; private set; }

    /// <summary>Loss fraction (0-1) from the latest report block about our source.</summary>
    public double RemoteFractionLost { get; private set; }

    /// <summary>Cumulative loss from the latest report block about our source.</summary>
    public long RemoteCumulativeLost { get; private set; }

    /// <summary>Jitter (timestamp units) from the latest report block about our source.</summary>
    public uint RemoteJitter { get; private set; }

    /// <summary>Records an SR from the source we receive.</summary>
    public void OnSenderReport(in RtcpSenderInfo info, TimeSpan arrival)
    {
        _lastSrCompact = info.CompactNtp;
        _lastSrArrival = arrival;
        _haveSr = true;
    }

    /// <summary>Uses a report block the remote sent about our own source.</summary>
    public void OnReportBlock(in RtcpReportBlock block, TimeSpan arrival)
    {
        RemoteFractionLost = block.FractionLost / 256.0;
        RemoteCumulativeLost = block.CumulativeLost;
        RemoteJitter = block.Jitter;
        if (block.LastSenderReport == 0)
            return;
        uint rtt = NtpTime.ToCompact(arrival) - block.LastSenderReport - block.DelaySinceLastSenderReport;
        if (rtt < 0x8000_0000u) // ignore negative results from bogus reports
            RoundTripTime = NtpTime.FromCompactDuration(rtt);
    }

    /// <summary>
    /// Reads a compound RTCP packet: an SR from <paramref name="remoteSsrc"/> (if known) is remembered
    /// for LSR/DLSR; report blocks about <paramref name="localSsrc"/> update RTT and remote loss.
    /// </summary>
    public void Process(ReadOnlySpan<byte> compound, uint? remoteSsrc, uint localSsrc, TimeSpan arrival)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out var packet))
        {
            if (remoteSsrc == packet.SenderSsrc && packet.TryGetSenderInfo(out var info))
                OnSenderReport(info, arrival);
            for (int i = 0; i < packet.ReportBlockCount; i++)
            {
                var block = packet.GetReportBlock(i);
                if (block.Ssrc == localSsrc)
                    OnReportBlock(block, arrival);
            }
        }
    }

    /// <summary>Builds the report block about <paramref name="sourceSsrc"/> at <paramref name="now"/>.</summary>
    public RtcpReportBlock CreateReportBlock(uint sourceSsrc, RtpReceptionTracker tracker, uint jitter, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        uint dlsr = _haveSr ? NtpTime.ToCompactDuration(now - _lastSrArrival) : 0;
        return new RtcpReportBlock(sourceSsrc, tracker.TakeFractionLost(), (int)Math.Clamp(tracker.PacketsLost, int.MinValue, int.MaxValue),
            tracker.ExtendedHighestSequence, jitter, _haveSr ? _lastSrCompact : 0, dlsr);
    }
}
