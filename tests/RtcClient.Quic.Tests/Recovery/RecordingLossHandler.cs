using RtcClient.Quic.Crypto;
using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Tests.Recovery;

/// <summary>Remembers which packet numbers were reported acknowledged or lost, and what they carried.</summary>
internal sealed class RecordingLossHandler : ILossDetectionHandler
{
    public List<long> Acked { get; } = [];
    public List<long> Lost { get; } = [];
    public List<SentFrame> LostFrames { get; } = [];
    public List<long> AckOfAcks { get; } = [];

    public void OnPacketAcked(EncryptionLevel space, SentPacket packet)
    {
        Acked.Add(packet.PacketNumber);
        if (packet.LargestAcknowledged >= 0)
        {
            AckOfAcks.Add(packet.LargestAcknowledged);
        }
    }

    public void OnPacketLost(EncryptionLevel space, SentPacket packet)
    {
        Lost.Add(packet.PacketNumber);
        LostFrames.AddRange(packet.Frames.ToArray());
    }
}
