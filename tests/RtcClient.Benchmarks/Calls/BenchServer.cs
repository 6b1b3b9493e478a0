using System.Buffers.Binary;
using System.Diagnostics;
using RtcClient.Protocol;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;

namespace RtcClient.Benchmarks.Calls;

/// <summary>A call server and its clients for the harnesses: token = name + "-token".</summary>
internal static class BenchServer
{
    public const int RtpHeaderLength = 12;

    public static Task<RiptServerHost> StartAsync(IEnumerable<string> names, CancellationToken cancellationToken)
        => RiptServerHost.StartAsync(new RiptServerHostOptions
        {
            Tokens = new StaticTokenValidator(names.ToDictionary(n => n + "-token", n => n)),
            Configure = o => o.TrunkGroups.Add(new TrunkGroupOptions
            {
                Id = "bench", MediaTimeout = TimeSpan.FromSeconds(60), Limits = new TrunkGroupLimits { CallsPerClient = 100_000 },
            }),
        }, cancellationToken);

    public static Task<CallClient> ConnectAsync(RiptServerHost server, Uri uri, string name, CancellationToken cancellationToken, Advertisement? advertisement = null)
        => CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = uri, Token = name + "-token", Name = name, PinnedCertificateSha256 = [server.CertificateSha256], Advertisement = advertisement,
        }, cancellationToken);

    /// <summary>A client whose calls open no media of their own, and the transport the harness opens its sessions with.</summary>
    public static async Task<(CallClient Client, RtcClient.Media.IMediaTransport Media, IDisposable Handler)> ConnectRawAsync(RiptServerHost server, string name, CancellationToken cancellationToken, Uri? uri = null)
    {
        var handler = new RtcClient.Http3.Http3Handler(new RtcClient.Http3.Http3ClientOptions { PinnedCertificateSha256 = [server.CertificateSha256] });
        var client = await CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = uri ?? server.Uri, Token = name + "-token", Name = name, HttpHandler = handler, MediaTransport = new NoCallMedia(),
        }, cancellationToken);
        return (client, new RtcClient.Media.WebTransportMediaTransport(handler), handler);
    }

    /// <summary>
    /// A media datagram as the relay expects it: flow id, then an RTP header (RFC 3550 section 5.1),
    /// then the payload, whose first 8 bytes carry when the frame was due (Stopwatch ticks).
    /// </summary>
    public static int WriteFrame(Span<byte> datagram, byte flow, ushort sequence, uint ssrc, long dueTicks, int payloadLength)
    {
        datagram[0] = flow;
        var rtp = datagram[1..];
        rtp[0] = 0x80;
        rtp[1] = 0; // PCMU
        BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(rtp[4..], (uint)(sequence * 160));
        BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], ssrc);
        var payload = rtp.Slice(RtpHeaderLength, payloadLength);
        payload.Clear();
        BinaryPrimitives.WriteInt64LittleEndian(payload, dueTicks);
        return 1 + RtpHeaderLength + payloadLength;
    }

    /// <summary>When a frame written by <see cref="WriteFrame"/> was due.</summary>
    public static long ReadDue(ReadOnlySpan<byte> datagram) => BinaryPrimitives.ReadInt64LittleEndian(datagram[(1 + RtpHeaderLength)..]);

    public static byte SendFlow(Call call) => (byte)(call.Directive?.Send.FirstOrDefault(f => f.Media == "audio")?.Flow
        ?? throw new InvalidOperationException($"call {call.Id} has no audio send flow"));

    /// <summary>Client pairs for <paramref name="calls"/> calls: as asked, or (0) enough for 16 media sessions per connection (Http3Options.MaxWebTransportSessions).</summary>
    public static int ClientPairs(int calls, int pairs) => Math.Clamp(pairs > 0 ? pairs : (calls + 15) / 16, 1, Math.Max(1, calls));

    /// <summary>GC heap and working set after a full collection.</summary>
    public static (long Heap, long WorkingSet) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var p = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(true), p.WorkingSet64);
    }

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static double Percentile(IReadOnlyList<double> sorted, double p)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Round(p * (sorted.Count - 1)))];
}
