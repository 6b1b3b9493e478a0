namespace RtcClient.Media;

/// <summary>SFrame counters of a call: what was protected, what was accepted, what was dropped and why.</summary>
/// <param name="Suite">The negotiated cipher suite name.</param>
/// <param name="FramesProtected">Outgoing frames encrypted.</param>
/// <param name="FramesNotSent">Outgoing frames dropped because no send key was available (never sent in clear).</param>
/// <param name="FramesDecrypted">Incoming frames authenticated and decrypted.</param>
/// <param name="AuthenticationFailures">Incoming frames dropped because their tag did not verify (altered in transit).</param>
/// <param name="KeyMissing">Incoming frames dropped because no key was known for their KID.</param>
/// <param name="Replays">Incoming frames dropped as replays.</param>
/// <param name="Malformed">Incoming frames dropped because the SFrame header or length was invalid.</param>
public sealed record E2eStatistics(
    string Suite,
    long FramesProtected,
    long FramesNotSent,
    long FramesDecrypted,
    long AuthenticationFailures,
    long KeyMissing,
    long Replays,
    long Malformed)
{
    /// <summary>Incoming frames dropped for any reason (none of them was played).</summary>
    public long FramesDropped => AuthenticationFailures + KeyMissing + Replays + Malformed;
}
