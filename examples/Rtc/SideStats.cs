using RtcClient;

namespace Rtc;

/// <summary>One side of a call as the live display and the summary show it.</summary>
/// <param name="Name">Who this side is.</param>
/// <param name="Codec">Audio codec this side sends.</param>
/// <param name="PacketsSent">Audio packets sent.</param>
/// <param name="PacketsReceived">Audio packets received.</param>
/// <param name="PacketsLost">Audio packets lost on the way here.</param>
/// <param name="LossRate">Fraction lost, 0-1.</param>
/// <param name="Jitter">Interarrival jitter of what this side receives.</param>
/// <param name="RoundTripTime">Media round trip from RTCP, null until known.</param>
/// <param name="MeanOpinionScore">E-model MOS of what this side receives.</param>
public sealed record SideStats(string Name, string Codec, long PacketsSent, long PacketsReceived, long PacketsLost, double LossRate, TimeSpan Jitter, TimeSpan? RoundTripTime, double MeanOpinionScore)
{
    /// <summary>Takes a snapshot of <paramref name="call"/>'s statistics.</summary>
    public static SideStats Of(string name, Call call)
    {
        var s = call.GetStatistics();
        var codec = call.Directive?.Send.FirstOrDefault(f => f.Media == "audio")?.Codec ?? "-";
        return new SideStats(name, codec,
            s.AudioSend?.PacketsSent ?? 0,
            s.AudioReceive?.PacketsReceived ?? 0,
            s.AudioReceive?.PacketsLost ?? 0,
            s.AudioReceive?.LossRate ?? 0,
            s.AudioReceive?.Jitter ?? TimeSpan.Zero,
            s.AudioReceive?.RoundTripTime ?? s.AudioSend?.RoundTripTime,
            s.AudioReceive?.MeanOpinionScore ?? 0);
    }

    /// <summary>RTT as text.</summary>
    public string RttText => RoundTripTime is { } rtt ? $"{rtt.TotalMilliseconds:0.0} ms" : "-";

    /// <summary>One line for logs and redirected output.</summary>
    public override string ToString()
        => $"{Name}: {Codec} sent {PacketsSent} recv {PacketsReceived} lost {PacketsLost} ({LossRate:P1}) jitter {Jitter.TotalMilliseconds:0.0} ms rtt {RttText} MOS {MeanOpinionScore:0.00}";
}
