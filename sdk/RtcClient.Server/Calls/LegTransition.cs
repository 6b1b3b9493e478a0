namespace RtcClient.Server.Calls;

/// <summary>The outcome of applying a client's event to a leg: the new state, or why the event is illegal (409).</summary>
/// <param name="Allowed">True when the event is legal now.</param>
/// <param name="State">The state after the event (unchanged when not allowed).</param>
/// <param name="Reason">The end reason when the event ends the leg.</param>
/// <param name="Error">Why the event is illegal, for the problem's detail.</param>
public readonly record struct LegTransition(bool Allowed, string State, string? Reason, string? Error)
{
    /// <summary>An illegal event.</summary>
    public static LegTransition Reject(string state, string error) => new(false, state, null, error);
}
