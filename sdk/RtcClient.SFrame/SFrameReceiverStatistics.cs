namespace RtcClient.SFrame;

/// <summary>Counters of an <see cref="SFrameReceiver"/> at one point in time.</summary>
/// <param name="FramesDecrypted">Frames authenticated and decrypted.</param>
/// <param name="AuthenticationFailures">Frames dropped because their tag did not verify.</param>
/// <param name="KeyMissing">Frames dropped because no key was known for their KID.</param>
/// <param name="Replays">Frames dropped as replayed or older than the replay window.</param>
/// <param name="MalformedFrames">Frames dropped because the header or length was invalid.</param>
public readonly record struct SFrameReceiverStatistics(
    long FramesDecrypted,
    long AuthenticationFailures,
    long KeyMissing,
    long Replays,
    long MalformedFrames)
{
    /// <summary>Every frame that was dropped, whatever the reason.</summary>
    public long FramesDropped => AuthenticationFailures + KeyMissing + Replays + MalformedFrames;
}
