namespace IvrBot;

/// <summary>What the IVR got from one call.</summary>
/// <param name="CallId">The call leg id.</param>
/// <param name="From">The caller.</param>
/// <param name="Digits">Digits collected (without the terminating '#').</param>
/// <param name="Terminated">True when the caller ended the input with '#'.</param>
/// <param name="RecordingPath">The caller's recording.</param>
/// <param name="Outcome">"complete", "timeout", "caller-hangup" or "failed: ...".</param>
public sealed record IvrCallResult(string CallId, string From, string Digits, bool Terminated, string RecordingPath, string Outcome);
