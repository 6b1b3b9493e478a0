using RtcClient.Protocol;

namespace RtcClient.Server.Calls;

/// <summary>
/// Which client events are legal in which leg state (docs/protocol.md section 6.4), and where they lead.
/// Pure, so the table is tested directly; the call registry applies it under the call's lock.
/// </summary>
public static class LegStateMachine
{
    /// <summary>True for the terminal state.</summary>
    public static bool IsTerminal(string state) => state == CallState.Ended;

    /// <summary>
    /// Applies an event a client posted on its leg. <paramref name="inbound"/> is true for the callee's
    /// leg: only the callee rings, answers or declines.
    /// </summary>
    public static LegTransition ApplyClientEvent(string state, bool inbound, CallEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        bool ringing = state is CallState.Proceeding or CallState.Alerting;
        bool live = state is CallState.Answered or CallState.Held;
        switch (e.Type)
        {
            case CallEventType.Ping:
            case CallEventType.Pong:
                return new(true, state, null, null);
            case CallEventType.Alerting:
                if (!inbound) return LegTransition.Reject(state, "only the callee's leg can ring");
                return state == CallState.Proceeding || state == CallState.Alerting
                    ? new(true, CallState.Alerting, null, null)
                    : LegTransition.Reject(state, $"'alerting' is not allowed in state '{state}'");
            case CallEventType.Answered:
                if (!inbound) return LegTransition.Reject(state, "only the callee's leg can answer");
                return ringing ? new(true, CallState.Answered, null, null)
                    : LegTransition.Reject(state, $"'answered' is not allowed in state '{state}'");
            case CallEventType.Declined:
                if (!inbound) return LegTransition.Reject(state, "only the callee's leg can decline");
                return ringing ? new(true, CallState.Ended, EndReason.Declined, null)
                    : LegTransition.Reject(state, $"'declined' is not allowed in state '{state}'");
            case CallEventType.End:
                if (IsTerminal(state)) return LegTransition.Reject(state, "the call has already ended");
                return new(true, CallState.Ended, string.IsNullOrEmpty(e.Reason) ? EndReason.Hangup : e.Reason, null);
            case CallEventType.Hold:
                return live ? new(true, CallState.Held, null, null)
                    : LegTransition.Reject(state, $"'hold' is not allowed in state '{state}'");
            case CallEventType.Resume:
                // The leg stays held while the other side still holds; the registry decides that.
                return live ? new(true, CallState.Answered, null, null)
                    : LegTransition.Reject(state, $"'resume' is not allowed in state '{state}'");
            case CallEventType.DirectiveRequest:
                if (e.Advertisement is null) return LegTransition.Reject(state, "'directive-request' needs an advertisement");
                return live ? new(true, state, null, null)
                    : LegTransition.Reject(state, $"'directive-request' is not allowed in state '{state}'");
            case CallEventType.Proceeding or CallEventType.NoAnswer or CallEventType.Failed or CallEventType.Directive
                or CallEventType.Migrate or CallEventType.Incoming:
                return LegTransition.Reject(state, $"'{e.Type}' is sent by the server only");
            default:
                // Unknown events are ignored, unless critical: then the leg ends as unsupported (section 2).
                if (e.Critical == true && !IsTerminal(state)) return new(true, CallState.Ended, EndReason.Unsupported, null);
                return new(true, state, null, null);
        }
    }
}
