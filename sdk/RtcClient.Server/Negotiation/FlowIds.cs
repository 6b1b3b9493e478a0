namespace RtcClient.Server.Negotiation;

/// <summary>
/// The flow ids of a leg's media session. Each leg uses the same layout, so forwarding from one leg to
/// the other maps a send flow to the peer's matching receive flow and nothing else.
/// </summary>
public static class FlowIds
{
    /// <summary>Audio the client sends.</summary>
    public const long AudioSend = 2;
    /// <summary>RTCP the client sends.</summary>
    public const long RtcpSend = 3;
    /// <summary>Audio the client receives.</summary>
    public const long AudioReceive = 4;
    /// <summary>RTCP the client receives.</summary>
    public const long RtcpReceive = 5;
    /// <summary>Video the client sends.</summary>
    public const long VideoSend = 6;
    /// <summary>Video the client receives.</summary>
    public const long VideoReceive = 8;

    /// <summary>The peer leg's flow for a flow a client sent on, or -1 when it is not a send flow.</summary>
    public static long ForwardTo(long sendFlow) => sendFlow switch
    {
        AudioSend => AudioReceive,
        RtcpSend => RtcpReceive,
        VideoSend => VideoReceive,
        _ => -1,
    };
}
