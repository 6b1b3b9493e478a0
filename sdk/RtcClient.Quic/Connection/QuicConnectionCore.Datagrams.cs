using System.Buffers;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// RFC 9221 DATAGRAM frames: queued, sent at most once, never retransmitted, never truncated.
internal sealed partial class QuicConnectionCore
{
    private readonly Queue<(byte[] Buffer, int Length)> _datagramQueue = new();

    /// <summary>
    /// The largest datagram payload that fits one packet now: bounded by the peer's
    /// max_datagram_frame_size and by our packet size; 0 when the peer does not accept datagrams.
    /// </summary>
    public int MaxDatagramPayloadSize
    {
        get
        {
            if (_peerParameters?.MaxDatagramFrameSize is not long peerMax || peerMax == 0 || _settings.MaxDatagramFrameSize <= 0) return 0;
            // 1-RTT header (1 + DCID + 4) + tag + frame type + 2-byte length.
            int packetRoom = _maxDatagramSize - (1 + DestinationConnectionId.Length + 4) - Crypto.PacketProtection.TagLength - 1 - 2;
            long frameRoom = peerMax - 1 - VariableLengthInteger.GetLength(Math.Max(0, peerMax));
            return (int)Math.Max(0, Math.Min(packetRoom, frameRoom));
        }
    }

    /// <summary>Queues a datagram for the next packet.</summary>
    public DatagramSendResult SendDatagram(ReadOnlySpan<byte> payload)
    {
        if (_state != ConnectionState.Open) return DatagramSendResult.ConnectionClosed;
        int max = MaxDatagramPayloadSize;
        if (max == 0) return _handshakeComplete ? DatagramSendResult.NotSupported : DatagramSendResult.ConnectionClosed;
        if (payload.Length > max) return DatagramSendResult.TooLarge;
        if (_datagramQueue.Count >= _settings.DatagramSendQueueLength) return DatagramSendResult.QueueFull;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(buffer);
        _datagramQueue.Enqueue((buffer, payload.Length));
        return DatagramSendResult.Queued;
    }

    private void WriteDatagramFrames(Span<byte> payload, ref int pos, SentPacket record)
    {
        while (_datagramQueue.Count > 0)
        {
            var (buffer, length) = _datagramQueue.Peek();
            if (!FrameWriter.TryWriteDatagram(payload[pos..], buffer.AsSpan(0, length), includeLength: true, out int n))
            {
                // Next packet, unless the path shrank (black hole) below what it needs: then it can never go.
                if (length <= MaxDatagramPayloadSize) break;
                _datagramQueue.Dequeue();
                ArrayPool<byte>.Shared.Return(buffer);
                _stats.DatagramsDiscarded++;
                continue;
            }
            pos += n;
            _datagramQueue.Dequeue();
            ArrayPool<byte>.Shared.Return(buffer);
            record.AckEliciting = true;
            _stats.DatagramsSent++;
        }
    }
}
