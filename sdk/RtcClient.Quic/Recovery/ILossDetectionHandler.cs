using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Recovery;

/// <summary>
/// Receives the fate of each sent packet from <see cref="LossDetector"/>. The packet record is
/// returned to the pool when the call returns, so copy what is needed from it.
/// </summary>
public interface ILossDetectionHandler
{
    /// <summary>
    /// The packet was acknowledged: its frames are delivered. When it carried an ACK frame
    /// (<see cref="SentPacket.LargestAcknowledged"/> ≥ 0), pass that value to
    /// <see cref="ReceivedPacketTracker.OnAckOfAckReceived"/> of the same space.
    /// </summary>
    void OnPacketAcked(EncryptionLevel space, SentPacket packet);

    /// <summary>The packet was declared lost: retransmit what its frames need in new packets.</summary>
    void OnPacketLost(EncryptionLevel space, SentPacket packet);
}
