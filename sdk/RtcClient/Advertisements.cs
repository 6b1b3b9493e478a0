using RtcClient.Protocol;

namespace RtcClient;

/// <summary>Ready-made advertisements.</summary>
public static class Advertisements
{
    private static readonly CodecCapability[] Audio =
    [
        new() { Codec = "opus", Channels = 1, Ptime = [20], MaxBitrate = 64000, Fec = true, Dtx = false },
        new() { Codec = "PCMU" },
        new() { Codec = "PCMA" },
        new() { Codec = "telephone-event" },
        new() { Codec = "CN" },
    ];

    /// <summary>Opus preferred, then G.711; telephone events and comfort noise; no video.</summary>
    public static Advertisement Default { get; } = new() { Audio = new MediaCapabilities { Send = Audio, Receive = Audio } };

    /// <summary>G.711 only (what a legacy gateway offers).</summary>
    public static Advertisement G711Only { get; } = new()
    {
        Audio = new MediaCapabilities
        {
            Send = [new() { Codec = "PCMU" }, new() { Codec = "PCMA" }, new() { Codec = "telephone-event" }, new() { Codec = "CN" }],
            Receive = [new() { Codec = "PCMU" }, new() { Codec = "PCMA" }, new() { Codec = "telephone-event" }, new() { Codec = "CN" }],
        },
    };

    /// <summary>The default audio plus H.264 video up to the given size.</summary>
    public static Advertisement WithVideo(int maxWidth = 640, int maxHeight = 360, int maxFrameRate = 30, int maxBitrate = 1_000_000)
    {
        var h264 = new CodecCapability { Codec = "H264", Profile = "constrained-baseline", MaxWidth = maxWidth, MaxHeight = maxHeight, MaxFrameRate = maxFrameRate, MaxBitrate = maxBitrate };
        return Default with { Video = new MediaCapabilities { Send = [h264], Receive = [h264] } };
    }
}
