namespace RtcClient.Server.Negotiation;

/// <summary>Per-call inputs to negotiation that are not in the advertisements.</summary>
/// <param name="CallerSsrcs">SSRCs the caller sends with: audio, video.</param>
/// <param name="CalleeSsrcs">SSRCs the callee sends with: audio, video.</param>
/// <param name="CallerHolds">The caller asked for hold.</param>
/// <param name="CalleeHolds">The callee asked for hold.</param>
/// <param name="CallerRevision">The caller leg's new directive revision.</param>
/// <param name="CalleeRevision">The callee leg's new directive revision.</param>
public readonly record struct CallMediaSetup(
    (uint Audio, uint Video) CallerSsrcs,
    (uint Audio, uint Video) CalleeSsrcs,
    bool CallerHolds,
    bool CalleeHolds,
    int CallerRevision,
    int CalleeRevision);
