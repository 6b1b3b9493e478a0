namespace RtcClient.Quic.Streams;

/// <summary>A piece of stream data chosen for one STREAM (or CRYPTO) frame.</summary>
/// <param name="Offset">Stream offset of the first byte.</param>
/// <param name="Length">Bytes (0 for a FIN-only frame).</param>
/// <param name="Fin">The frame carries the FIN bit: this chunk ends at the final size.</param>
/// <param name="IsRetransmission">Data sent before and declared lost: needs no new flow-control credit.</param>
public readonly record struct StreamChunk(long Offset, int Length, bool Fin, bool IsRetransmission)
{
    /// <summary>Offset one past the chunk's last byte.</summary>
    public long End => Offset + Length;
}
