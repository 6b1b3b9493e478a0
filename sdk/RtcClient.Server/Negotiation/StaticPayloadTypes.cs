namespace RtcClient.Server.Negotiation;

/// <summary>
/// The payload types the server assigns per codec. Fixed per codec so forwarded packets never need
/// rewriting and a directive is readable at a glance.
/// </summary>
public static class StaticPayloadTypes
{
    /// <summary>The payload type for <paramref name="codec"/>, or -1 for a codec the server does not know.</summary>
    public static int For(string codec) => codec switch
    {
        "PCMU" => 0,
        "PCMA" => 8,
        "CN" => 13,
        "H264" => 96,
        "telephone-event" => 101,
        "opus" => 111,
        _ => -1,
    };

    /// <summary>RTP clock rate of <paramref name="codec"/> (telephone-event and CN follow the audio codec).</summary>
    public static int ClockRate(string codec) => codec switch
    {
        "opus" => 48000,
        "H264" => 90000,
        _ => 8000,
    };

    /// <summary>True for codecs that carry the call's audio (not events or comfort noise).</summary>
    public static bool IsPrimaryAudio(string codec) => codec is "PCMU" or "PCMA" or "opus";
}
