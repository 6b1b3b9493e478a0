namespace RtcClient.SFrame;

/// <summary>Configuration of an <see cref="SFrameSender"/>.</summary>
public sealed class SFrameSenderOptions
{
    /// <summary>Cipher suite negotiated for the media stream.</summary>
    public SFrameCipherSuite CipherSuite { get; init; } = SFrameCipherSuite.AES_128_GCM_SHA256_128;

    /// <summary>
    /// First CTR used with each KID. Non-zero when a persisted context resumes (RFC 9605
    /// section 9.1: store the next CTR before using it).
    /// </summary>
    public ulong InitialCounter { get; init; }

    /// <summary>
    /// Last CTR the sender may use with a KID; after it the KID is exhausted and frames are refused
    /// with <see cref="SFrameStatus.CounterExhausted"/> until the application rotates keys.
    /// </summary>
    public ulong MaxCounter { get; init; } = ulong.MaxValue;
}
