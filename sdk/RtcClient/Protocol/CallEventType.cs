namespace RtcClient.Protocol;

/// <summary>Event types (docs/protocol.md section 6.4 and 4.4).</summary>
public static class CallEventType
{
    /// <summary>Server: the call is being routed.</summary>
    public const string Proceeding = "proceeding";
    /// <summary>Callee: ringing.</summary>
    public const string Alerting = "alerting";
    /// <summary>Callee: answered.</summary>
    public const string Answered = "answered";
    /// <summary>Callee: declined.</summary>
    public const string Declined = "declined";
    /// <summary>Server: nobody answered in time.</summary>
    public const string NoAnswer = "noanswer";
    /// <summary>Server: the call failed.</summary>
    public const string Failed = "failed";
    /// <summary>Either: hang up, with a reason.</summary>
    public const string End = "end";
    /// <summary>Client: put the call on hold.</summary>
    public const string Hold = "hold";
    /// <summary>Client: take the call off hold.</summary>
    public const string Resume = "resume";
    /// <summary>Client: a new advertisement mid-call.</summary>
    public const string DirectiveRequest = "directive-request";
    /// <summary>Server: a new directive.</summary>
    public const string Directive = "directive";
    /// <summary>Server: the call moves to another URI.</summary>
    public const string Migrate = "migrate";
    /// <summary>Either: liveness check.</summary>
    public const string Ping = "ping";
    /// <summary>Either: the answer to ping.</summary>
    public const string Pong = "pong";
    /// <summary>Server, on a handler's event stream: a call for this handler.</summary>
    public const string Incoming = "incoming";
}
