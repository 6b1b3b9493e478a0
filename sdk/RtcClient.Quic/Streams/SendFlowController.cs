namespace RtcClient.Quic.Streams;

/// <summary>
/// Send-side flow control credit for a stream (MAX_STREAM_DATA) or the connection (MAX_DATA)
/// (RFC 9000 section 4.1): how much may still be sent, and when to tell the peer we are blocked
/// (STREAM_DATA_BLOCKED / DATA_BLOCKED carrying the limit we are blocked at).
/// </summary>
public sealed class SendFlowController
{
    private long _blockedReportedAt = -1;

    /// <summary>Creates the controller with the peer's initial limit (transport parameter).</summary>
    public SendFlowController(long initialLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialLimit);
        Limit = initialLimit;
    }

    /// <summary>The peer's current maximum (bytes or offset).</summary>
    public long Limit { get; private set; }

    /// <summary>Credit used so far.</summary>
    public long Consumed { get; private set; }

    /// <summary>Credit left.</summary>
    public long Available => Limit - Consumed;

    /// <summary>True when no credit is left.</summary>
    public bool IsBlocked => Consumed >= Limit;

    /// <summary>Applies a MAX_DATA / MAX_STREAM_DATA value; smaller values than the current limit are ignored (RFC 9000 section 4.1). Returns true when credit grew.</summary>
    public bool OnMaxDataReceived(long maximum)
    {
        if (maximum <= Limit)
        {
            return false;
        }
        Limit = maximum;
        return true;
    }

    /// <summary>Uses <paramref name="bytes"/> of credit (new data sent).</summary>
    public void Consume(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes > Available)
        {
            throw new InvalidOperationException($"Sending {bytes} bytes exceeds the flow control credit {Available}.");
        }
        Consumed += bytes;
    }

    /// <summary>
    /// Call when there is data to send: true (once per limit) when a *_BLOCKED frame should be sent,
    /// with the limit it reports.
    /// </summary>
    public bool TryGetBlocked(out long limit)
    {
        limit = Limit;
        if (!IsBlocked || _blockedReportedAt == Limit)
        {
            return false;
        }
        _blockedReportedAt = Limit;
        return true;
    }

    /// <summary>A *_BLOCKED frame reporting <paramref name="limit"/> was lost: report again if still blocked at that limit.</summary>
    public void OnBlockedLost(long limit)
    {
        if (_blockedReportedAt == limit)
        {
            _blockedReportedAt = -1;
        }
    }
}
