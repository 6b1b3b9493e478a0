namespace RtcClient.Media.Codecs;

/// <summary>The two companding laws of ITU-T G.711.</summary>
public enum G711Law
{
    /// <summary>µ-law (PCMU, RTP payload type 0).</summary>
    MuLaw,

    /// <summary>A-law (PCMA, RTP payload type 8).</summary>
    ALaw,
}
