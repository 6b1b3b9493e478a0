namespace RtcClient.Media.Jitter;

/// <summary>How the frame returned by <see cref="AudioJitterBuffer.Read"/> was produced.</summary>
public enum AudioPlayoutKind
{
    /// <summary>Playout has not started (buffering): silence.</summary>
    Buffering,
    /// <summary>Decoded from its own packet.</summary>
    Decoded,
    /// <summary>Recovered from the FEC data of the following packet.</summary>
    RecoveredFromNext,
    /// <summary>Concealed (lost, late or not yet arrived).</summary>
    Concealed,
    /// <summary>An extra frame inserted to grow the playout delay.</summary>
    Inserted,
    /// <summary>Comfort noise or silence while the sender is silent (DTX, CN, telephone event).</summary>
    ComfortNoise,
}
