using RtcClient.Protocol;

namespace RtcClient;

/// <summary>A call moved to a new status, or its directive changed.</summary>
public sealed class CallStatusChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    public CallStatusChangedEventArgs(CallStatus previous, CallStatus status, string? reason, Directive? directive, string eventType)
    {
        Previous = previous;
        Status = status;
        Reason = reason;
        Directive = directive;
        EventType = eventType;
    }

    /// <summary>Status before the event.</summary>
    public CallStatus Previous { get; }
    /// <summary>Status after the event.</summary>
    public CallStatus Status { get; }
    /// <summary>End reason once ended.</summary>
    public string? Reason { get; }
    /// <summary>The directive in force after the event.</summary>
    public Directive? Directive { get; }
    /// <summary>The protocol event that caused the change.</summary>
    public string EventType { get; }
}
