namespace RtcClient;

/// <summary>Where a call is (docs/protocol.md section 6.3).</summary>
public enum CallStatus
{
    /// <summary>The server is routing the call.</summary>
    Proceeding,
    /// <summary>The far end is ringing.</summary>
    Alerting,
    /// <summary>Media flows.</summary>
    Answered,
    /// <summary>Answered, and one side holds.</summary>
    Held,
    /// <summary>Over; see <see cref="Call.EndReason"/>.</summary>
    Ended,
}
