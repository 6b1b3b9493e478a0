namespace RtcClient.SFrame;

/// <summary>Configuration of an <see cref="SFrameReceiver"/>.</summary>
public sealed class SFrameReceiverOptions
{
    /// <summary>Cipher suite negotiated for the media stream.</summary>
    public SFrameCipherSuite CipherSuite { get; init; } = SFrameCipherSuite.AES_128_GCM_SHA256_128;

    /// <summary>Replay window per KID, in counters (a multiple of 64; see <see cref="SFrameReplayWindow"/>).</summary>
    public int ReplayWindowSize { get; init; } = 128;

    /// <summary>
    /// Most KIDs whose derived keys and replay windows are kept at once; past it the least recently
    /// used is dropped. Bounds memory whatever KIDs arrive.
    /// </summary>
    public int MaxCachedKeys { get; init; } = 64;
}
