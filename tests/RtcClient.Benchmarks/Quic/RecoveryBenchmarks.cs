using BenchmarkDotNet.Attributes;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Recovery;

namespace RtcClient.Benchmarks.Quic;

/// <summary>
/// Steady-state cost of the loss recovery hot paths: recording sent packets and processing an ACK
/// frame's ranges against them (with a loss per round), and recording received packets and
/// producing ACK ranges. One operation = 16 packets.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RecoveryBenchmarks
{
    private const int PacketsPerOperation = 16;

    private readonly AckRange[] _ackFrame = new AckRange[3];
    private readonly AckRange[] _rangeOutput = new AckRange[ReceivedPacketTracker.DefaultMaxAckRanges];
    private LossDetector _detector = null!;
    private ReceivedPacketTracker _received = null!;
    private long _nextSent;
    private long _nextReceived;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _detector = new LossDetector(isServer: true, new NewReno(), new CountingHandler()) { HandshakeConfirmed = true };
        _received = new ReceivedPacketTracker(delayAcks: true);
    }

    /// <summary>Sends 16 packets, then processes an ACK frame of 3 ranges: 15 acknowledged, 1 declared lost by packet threshold.</summary>
    [Benchmark(OperationsPerInvoke = PacketsPerOperation)]
    public int SentPacketsAckProcessing()
    {
        long b = _nextSent;
        for (int i = 0; i < PacketsPerOperation; i++)
        {
            var p = _detector.RentPacket();
            p.PacketNumber = b + i;
            p.SentBytes = 1200;
            p.AckEliciting = true;
            p.InFlight = true;
            p.AddFrame(new SentFrame(0x0f, StreamId: 4, Offset: (b + i) * 1100, Length: 1100));
            _now += 10;
            _detector.OnPacketSent(EncryptionLevel.Application, p, _now);
        }
        _nextSent = b + PacketsPerOperation;
        // Packet b+8 is missing (lost by packet threshold); the last range re-reports the previous round's hole.
        _ackFrame[0] = new AckRange(b + 9, b + 15);
        _ackFrame[1] = new AckRange(b, b + 7);
        _ackFrame[2] = new AckRange(Math.Max(0, b - 8), Math.Max(0, b - 8));
        _now += 20_000;
        _detector.OnAckReceived(EncryptionLevel.Application, _ackFrame, 1_000, _now);
        return _detector.GetTracker(EncryptionLevel.Application).Count;
    }

    /// <summary>Records 16 received packets (one reordered pair), builds the ACK ranges, and trims them on an ACK of that ACK.</summary>
    [Benchmark(OperationsPerInvoke = PacketsPerOperation)]
    public int ReceivedPacketsAndAckRanges()
    {
        long b = _nextReceived;
        for (int i = 0; i < PacketsPerOperation; i++)
        {
            // Swap packets 5 and 6 of every round: a reorder that forces an immediate ACK.
            long pn = b + (i == 5 ? 6 : i == 6 ? 5 : i);
            _now += 10;
            _received.OnPacketReceived(pn, ackEliciting: true, _now);
        }
        _nextReceived = b + PacketsPerOperation;
        int n = 0;
        if (_received.ShouldSendAck(_now))
        {
            n = _received.GetAckRanges(_rangeOutput);
            long largest = _received.LargestReceived;
            _received.OnAckSent();
            _received.OnAckOfAckReceived(largest - PacketsPerOperation);
        }
        return n;
    }

    private sealed class CountingHandler : ILossDetectionHandler
    {
        public long Acked;
        public long Lost;

        public void OnPacketAcked(EncryptionLevel space, SentPacket packet) => Acked++;

        public void OnPacketLost(EncryptionLevel space, SentPacket packet) => Lost += packet.Frames.Length;
    }
}
