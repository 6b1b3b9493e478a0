using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Streams;

/// <summary>
/// Receive-side flow control for a stream or the connection (RFC 9000 sections 4.1-4.2): enforces
/// the limit we advertised (FLOW_CONTROL_ERROR) and decides when to raise it with MAX_DATA /
/// MAX_STREAM_DATA. The update goes out once half the window is consumed by the reader; the window
/// doubles (up to a maximum) when updates come faster than every two round trips, so a fast
/// reader is not throttled by the round trip.
/// </summary>
public sealed class ReceiveFlowController
{
    private readonly long _frameType;
    private long _lastUpdateTime = long.MinValue;

    /// <summary>Creates the controller.</summary>
    /// <param name="initialWindow">The limit advertised in the transport parameters.</param>
    /// <param name="maxWindow">How far auto-tuning may grow the window.</param>
    /// <param name="isConnectionLevel">Selects the frame type reported with errors (MAX_DATA vs stream).</param>
    public ReceiveFlowController(long initialWindow, long maxWindow, bool isConnectionLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialWindow);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindow, initialWindow);
        Window = initialWindow;
        MaxWindow = maxWindow;
        Limit = initialWindow;
        _frameType = isConnectionLevel ? 0x10 : 0x08;
    }

    /// <summary>Current window size.</summary>
    public long Window { get; private set; }

    /// <summary>Auto-tuning ceiling.</summary>
    public long MaxWindow { get; }

    /// <summary>The limit advertised to the peer (resend this value when a MAX_* frame is lost).</summary>
    public long Limit { get; private set; }

    /// <summary>Bytes (or highest offset) received.</summary>
    public long Received { get; private set; }

    /// <summary>Bytes the application consumed.</summary>
    public long Consumed { get; private set; }

    /// <summary>True when an update is due: half the window or more was consumed since the last limit.</summary>
    public bool IsUpdateDue => Limit - Consumed <= Window / 2 && Limit < Consumed + Window;

    /// <summary>Counts <paramref name="bytes"/> more received (the increase of the highest offset); FLOW_CONTROL_ERROR past the limit.</summary>
    public void OnDataReceived(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes > Limit - Received)
        {
            throw new QuicProtocolException(TransportErrorCode.FlowControlError, $"Peer sent {Received + bytes} bytes, limit {Limit}.", _frameType);
        }
        Received += bytes;
    }

    /// <summary>The application read <paramref name="bytes"/> (or a reset stream's bytes were released).</summary>
    public void OnDataConsumed(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Consumed = Math.Min(Consumed + bytes, Received);
    }

    /// <summary>
    /// When an update is due, raises the limit to consumed + window (doubling the window first when the
    /// previous update was less than two smoothed RTTs ago) and returns the value for MAX_DATA /
    /// MAX_STREAM_DATA.
    /// </summary>
    public bool TryGetUpdate(long now, long smoothedRtt, out long newLimit)
    {
        newLimit = Limit;
        if (!IsUpdateDue)
        {
            return false;
        }
        if (_lastUpdateTime != long.MinValue && now - _lastUpdateTime < 2 * smoothedRtt && Window < MaxWindow)
        {
            Window = Math.Min(Window * 2, MaxWindow);
        }
        _lastUpdateTime = now;
        Limit = Consumed + Window;
        newLimit = Limit;
        return true;
    }
}
