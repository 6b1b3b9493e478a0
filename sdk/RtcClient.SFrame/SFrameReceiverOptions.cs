namespace RtcClient.SFrame;

/// <summary>Configuration of an <see cref="SFrameReceiver"/>.</summary>
public sealed class SFrameReceiverOptions
{
    /// <summary>Cipher suite negotiated for the media stream.</summary>
    public SFrameCipherSuite CipherSuite { get; init; } = SFrameCipherSuite.AES_128_GCM_SHA256_128;

    /// <summary>Replay window per KID, in counters (a multiple of 64; see <see cref="SFrameReplayWindow"/>).</summary>
    public int ReplayWindowSize { get; init; } = 128;

    /// <summary>
    /// Most KIDs whose derived keys and replay windows are kept at once. Only a KID that delivered
    /// an authentic frame is cached, so forged frames cannot displace a stream's state; past the
    /// limit the least recently used KID is dropped, and its replay window starts afresh if it
    /// returns. Size it above the number of simultaneously active remote KIDs.
    /// </summary>
    public int MaxCachedKeys { get; init; } = 64;
}
