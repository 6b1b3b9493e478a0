namespace RtcClient.Protocol;

/// <summary>The state of a call leg (docs/protocol.md section 6.3), as the strings on the wire.</summary>
public static class CallState
{
    /// <summary>The server accepted the call and is routing it.</summary>
    public const string Proceeding = "proceeding";
    /// <summary>The far end is ringing.</summary>
    public const string Alerting = "alerting";
    /// <summary>Media flows per the directive.</summary>
    public const string Answered = "answered";
    /// <summary>Answered, and the directive's hold is not "none".</summary>
    public const string Held = "held";
    /// <summary>Over; the reason says why. Terminal.</summary>
    public const string Ended = "ended";
}
