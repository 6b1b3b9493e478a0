using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Simulation;
using RtcClient.Media.Streams;

namespace RtcClient.Media.Tests.TestSupport;

/// <summary>
/// One-way G.711 (PCMU) call over a simulated link on a virtual clock: a tone from A to B, with B's
/// RTCP going back to A.
/// </summary>
public sealed class AudioCall
{
    public const ulong RtpFlow = 0;
    public const ulong RtcpFlow = 1;

    public AudioCall(LinkConditions forward, int seed = 1, double seconds = 10, LinkConditions? backward = null)
    {
        Clock = new VirtualMediaClock();
        Network = new SimulatedNetwork(Clock, seed);
        Clock.Register(Network);
        var sessionA = new MediaSession();
        var sessionB = new MediaSession();
        Forward = Network.CreateLink(sessionB, forward);
        Backward = Network.CreateLink(sessionA, backward ?? LinkConditions.Perfect);
        Source = new ToneSource(440, 8000);
        Sink = new RecordingSink((int)(8000 * (seconds + 1)));
        Encoder = new G711Encoder(G711Law.MuLaw);
        Decoder = new G711Decoder(G711Law.MuLaw);
        Sender = new AudioSendStream(new AudioSendStreamOptions { FlowId = RtpFlow, RtcpFlowId = RtcpFlow, Ssrc = 0x1111, InitialSequenceNumber = 65000, InitialTimestamp = 4_294_000_000 },
            Encoder, Source, Forward);
        Receiver = new AudioReceiveStream(new AudioReceiveStreamOptions { RtcpFlowId = RtcpFlow, LocalSsrc = 0x2222 }, Decoder, Sink, Backward);
        sessionB.AddRtpFlow(RtpFlow, Receiver);
        sessionB.AddRtcpFlow(RtcpFlow);
        sessionB.AddRtcpHandler(Receiver);
        sessionA.AddRtcpFlow(RtcpFlow);
        sessionA.AddRtcpHandler(Sender);
        Clock.Register(Sender);
        Clock.Register(Receiver);
    }

    public VirtualMediaClock Clock { get; }

    public SimulatedNetwork Network { get; }

    public SimulatedDatagramLink Forward { get; }

    public SimulatedDatagramLink Backward { get; }

    public ToneSource Source { get; }

    public RecordingSink Sink { get; }

    public IAudioEncoder Encoder { get; }

    public IAudioDecoder Decoder { get; }

    public AudioSendStream Sender { get; }

    public AudioReceiveStream Receiver { get; }

    public void Run(TimeSpan duration) => Clock.Advance(duration);
}
