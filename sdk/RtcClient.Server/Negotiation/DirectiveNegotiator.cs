using RtcClient.Protocol;

namespace RtcClient.Server.Negotiation;

/// <summary>
/// Computes both legs' directives from the two advertisements (docs/protocol.md section 5.2): for each
/// direction and media kind the first codec in the receiver's list that the sender can send, parameters
/// clamped to the smaller maxima, telephone-event and CN added where both sides allow them, and the
/// SFrame suite when E2E is possible. Pure: no I/O, no clock.
/// </summary>
public static class DirectiveNegotiator
{
    private const int DefaultOpusBitrate = 32000;
    private const int DefaultPtime = 20;

    /// <summary>Negotiates a call between <paramref name="caller"/> and <paramref name="callee"/>.</summary>
    public static NegotiationResult Negotiate(Advertisement caller, Advertisement callee, CallMediaSetup setup)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(callee);

        var callerToCallee = ChooseAudio(caller.Audio, callee.Audio);
        var calleeToCaller = ChooseAudio(callee.Audio, caller.Audio);
        if (callerToCallee is null || calleeToCaller is null)
            return new NegotiationResult { IncompatibleReason = "no audio codec in common" };

        var e2e = ChooseE2e(caller.E2e, callee.E2e, out string? e2eProblem);
        if (e2eProblem is not null) return new NegotiationResult { IncompatibleReason = e2eProblem };

        var videoUp = ChooseVideo(caller.Video, callee.Video);
        var videoDown = ChooseVideo(callee.Video, caller.Video);

        var callerSend = Flows(FlowIds.AudioSend, FlowIds.VideoSend, callerToCallee, videoUp, setup.CallerSsrcs);
        var calleeSend = Flows(FlowIds.AudioSend, FlowIds.VideoSend, calleeToCaller, videoDown, setup.CalleeSsrcs);
        var callerReceive = Flows(FlowIds.AudioReceive, FlowIds.VideoReceive, calleeToCaller, videoDown, setup.CalleeSsrcs);
        var calleeReceive = Flows(FlowIds.AudioReceive, FlowIds.VideoReceive, callerToCallee, videoUp, setup.CallerSsrcs);
        var rtcp = new RtcpFlows { SendFlow = FlowIds.RtcpSend, ReceiveFlow = FlowIds.RtcpReceive };

        return new NegotiationResult
        {
            Caller = new Directive
            {
                Revision = setup.CallerRevision, Send = callerSend, Receive = callerReceive, Rtcp = rtcp,
                Hold = HoldFor(setup.CallerHolds, setup.CalleeHolds), E2e = e2e,
            },
            Callee = new Directive
            {
                Revision = setup.CalleeRevision, Send = calleeSend, Receive = calleeReceive, Rtcp = rtcp,
                Hold = HoldFor(setup.CalleeHolds, setup.CallerHolds), E2e = e2e,
            },
        };
    }

    /// <summary>The hold member of one leg's directive from who asked for hold.</summary>
    public static string HoldFor(bool self, bool peer) => (self, peer) switch
    {
        (false, false) => HoldState.None,
        (true, false) => HoldState.Local,
        (false, true) => HoldState.Remote,
        _ => HoldState.Both,
    };

    /// <summary>Audio one way: primary codec plus telephone-event and CN when both sides have them.</summary>
    private static AudioChoice? ChooseAudio(MediaCapabilities? sender, MediaCapabilities? receiver)
    {
        if (sender is null || receiver is null) return null;
        foreach (var wanted in receiver.Receive)
        {
            if (!StaticPayloadTypes.IsPrimaryAudio(wanted.Codec)) continue;
            var offered = Find(sender.Send, wanted.Codec);
            if (offered is null) continue;
            return new AudioChoice(
                Clamp(offered, wanted),
                Find(sender.Send, "telephone-event") is not null && Find(receiver.Receive, "telephone-event") is not null,
                Find(sender.Send, "CN") is not null && Find(receiver.Receive, "CN") is not null);
        }
        return null;
    }

    private static CodecCapability? ChooseVideo(MediaCapabilities? sender, MediaCapabilities? receiver)
    {
        if (sender is null || receiver is null) return null;
        foreach (var wanted in receiver.Receive)
        {
            if (StaticPayloadTypes.For(wanted.Codec) < 0 || StaticPayloadTypes.IsPrimaryAudio(wanted.Codec)) continue;
            var offered = Find(sender.Send, wanted.Codec);
            if (offered is not null) return Clamp(offered, wanted);
        }
        return null;
    }

    private static E2eDirective? ChooseE2e(E2eCapabilities? a, E2eCapabilities? b, out string? problem)
    {
        problem = null;
        bool required = (a?.Required ?? false) || (b?.Required ?? false);
        if (a is not null && b is not null)
        {
            foreach (var suite in a.SFrame)
                if (b.SFrame.Contains(suite, StringComparer.Ordinal))
                    return new E2eDirective { Suite = suite };
        }
        if (required) problem = "end-to-end encryption is required and no SFrame suite is common";
        return null;
    }

    private static CodecCapability? Find(IReadOnlyList<CodecCapability> list, string codec)
    {
        foreach (var c in list)
            if (string.Equals(c.Codec, codec, StringComparison.Ordinal)) return c;
        return null;
    }

    /// <summary>Parameters both sides can live with: the smaller maxima, shared flags, a common ptime.</summary>
    private static CodecCapability Clamp(CodecCapability sender, CodecCapability receiver) => new()
    {
        Codec = sender.Codec,
        MaxBitrate = Min(sender.MaxBitrate, receiver.MaxBitrate),
        Channels = Min(sender.Channels, receiver.Channels),
        Fec = sender.Fec == true && receiver.Fec == true,
        Dtx = sender.Dtx == true && receiver.Dtx == true,
        Ptime = [CommonPtime(sender.Ptime, receiver.Ptime)],
        Profile = sender.Profile ?? receiver.Profile,
        MaxWidth = Min(sender.MaxWidth, receiver.MaxWidth),
        MaxHeight = Min(sender.MaxHeight, receiver.MaxHeight),
        MaxFrameRate = Min(sender.MaxFrameRate, receiver.MaxFrameRate),
    };

    private static int? Min(int? a, int? b) => (a, b) switch
    {
        (null, null) => null,
        (null, _) => b,
        (_, null) => a,
        _ => Math.Min(a!.Value, b!.Value),
    };

    /// <summary>The receiver's first ptime the sender also supports; 20 ms when either side is silent on it.</summary>
    private static int CommonPtime(IReadOnlyList<int>? sender, IReadOnlyList<int>? receiver)
    {
        if (receiver is null || receiver.Count == 0) return sender is { Count: > 0 } ? sender[0] : DefaultPtime;
        if (sender is null || sender.Count == 0) return receiver[0];
        foreach (var p in receiver)
            if (sender.Contains(p)) return p;
        return DefaultPtime;
    }

    private static List<FlowDirective> Flows(long audioFlow, long videoFlow, AudioChoice audio, CodecCapability? video, (uint Audio, uint Video) ssrcs)
    {
        var codec = audio.Codec;
        int clockRate = StaticPayloadTypes.ClockRate(codec.Codec);
        bool opus = codec.Codec == "opus";
        var flows = new List<FlowDirective>(4)
        {
            new()
            {
                Flow = audioFlow, Media = "audio", Codec = codec.Codec, PayloadType = StaticPayloadTypes.For(codec.Codec),
                ClockRate = clockRate, Channels = opus ? codec.Channels ?? 1 : 1, Ptime = codec.Ptime![0],
                Bitrate = opus ? codec.MaxBitrate ?? DefaultOpusBitrate : 64000,
                Fec = opus ? codec.Fec : null, Dtx = opus ? codec.Dtx : null, Ssrc = ssrcs.Audio,
            },
        };
        if (audio.TelephoneEvent)
            flows.Add(new() { Flow = audioFlow, Media = "audio", Codec = "telephone-event", PayloadType = StaticPayloadTypes.For("telephone-event"), ClockRate = clockRate, Ssrc = ssrcs.Audio });
        if (audio.ComfortNoise)
            flows.Add(new() { Flow = audioFlow, Media = "audio", Codec = "CN", PayloadType = StaticPayloadTypes.For("CN"), ClockRate = clockRate, Ssrc = ssrcs.Audio });
        if (video is not null)
        {
            flows.Add(new()
            {
                Flow = videoFlow, Media = "video", Codec = video.Codec, PayloadType = StaticPayloadTypes.For(video.Codec),
                ClockRate = StaticPayloadTypes.ClockRate(video.Codec), Bitrate = video.MaxBitrate ?? 1_000_000,
                Width = video.MaxWidth ?? 640, Height = video.MaxHeight ?? 360, FrameRate = video.MaxFrameRate ?? 30,
                Ssrc = ssrcs.Video,
            });
        }
        return flows;
    }

    private sealed record AudioChoice(CodecCapability Codec, bool TelephoneEvent, bool ComfortNoise);
}
