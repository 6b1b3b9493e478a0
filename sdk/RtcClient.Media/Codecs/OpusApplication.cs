namespace RtcClient.Media.Codecs;

/// <summary>Opus encoder tuning (OPUS_APPLICATION_*).</summary>
public enum OpusApplication
{
    /// <summary>Voice: high-pass filter, speech-oriented decisions.</summary>
    Voip = 2048,

    /// <summary>General audio, highest fidelity.</summary>
    Audio = 2049,

    /// <summary>Lowest algorithmic delay, CELT only (no in-band FEC).</summary>
    RestrictedLowDelay = 2051,
}
