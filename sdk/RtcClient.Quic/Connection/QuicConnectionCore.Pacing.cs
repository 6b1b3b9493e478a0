using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Connection;

// Pacing (RFC 9002 section 7.7): packets that count against the congestion window leave no faster than
// 1.25 * cwnd / smoothed_rtt, with bursts bounded by the pacer's bucket. ACK-only packets, PTO probes
// and CONNECTION_CLOSE are not paced. When the pacer holds data back, NextTimeout includes the moment
// it releases the next packet, so the owner's timer (not a busy loop) resumes sending.
internal sealed partial class QuicConnectionCore
{
    private readonly Pacer _pacer;
    private bool _congestionControlledAllowed;
    private long _pacingReleaseTime = long.MaxValue;

    /// <summary>When the pacer next releases held-back data (microseconds), or long.MaxValue when nothing waits for it.</summary>
    internal long PacingReleaseTime => _pacingReleaseTime;

    /// <summary>
    /// Decides whether congestion-controlled data may go into the datagram being built now. Returns the
    /// pacer's release time: <paramref name="now"/> when it allows sending, later when only the pacer holds back.
    /// </summary>
    private long UpdateSendAllowance(long now)
    {
        var cc = _loss.CongestionController;
        if (cc.BytesInFlight >= cc.CongestionWindow)
        {
            _congestionControlledAllowed = false;
            cc.ApplicationLimited = false; // the window is the limit again: acknowledgments may grow it
            return now; // the window, not the pacer, holds back: an ACK reopens it
        }
        long release = _pacer.GetNextSendTime(now, _maxDatagramSize, cc.CongestionWindow, _loss.Rtt.SmoothedRtt);
        _congestionControlledAllowed = release <= now;
        return release;
    }
}
