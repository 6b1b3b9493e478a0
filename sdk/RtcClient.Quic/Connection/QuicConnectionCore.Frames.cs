using RtcClient.Quic.Crypto;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Frame processing (RFC 9000 section 19; RFC 9221 section 4).
internal sealed partial class QuicConnectionCore
{
    /// <summary>Processes every frame of a payload; returns true when the packet was ack-eliciting.</summary>
    private bool ProcessFrames(PacketNumberSpace space, ReadOnlySpan<byte> payload, ConnectionId dcid, long now)
    {
        var reader = new FrameReader(payload);
        var packetType = space.Level switch
        {
            EncryptionLevel.Initial => PacketType.Initial,
            EncryptionLevel.Handshake => PacketType.Handshake,
            _ => PacketType.OneRtt,
        };
        bool ackEliciting = false;
        while (reader.TryRead(out var frame))
        {
            // RFC 9000 section 12.4 table 3: Initial and Handshake packets carry only some frames.
            FrameRules.ValidatePacketType(frame, packetType);
            ackEliciting |= FrameRules.IsAckEliciting(frame.Type);
            // Closing: only CONNECTION_CLOSE matters.
            if (_state == ConnectionState.Closing && frame.Type is not (FrameType.ConnectionClose or FrameType.ApplicationClose)) continue;
            switch (frame.Type)
            {
                case FrameType.Padding:
                case FrameType.Ping:
                case FrameType.DataBlocked:
                case FrameType.StreamsBlockedBidi:
                case FrameType.StreamsBlockedUni:
                case FrameType.PathResponse: // we never send PATH_CHALLENGE, so nothing to match
                    break;
                case FrameType.Ack:
                case FrameType.AckEcn:
                    ProcessAckFrame(space, frame, now);
                    break;
                case FrameType.ResetStream: OnResetStream(frame.StreamId, frame.ErrorCode, frame.FinalSize); break;
                case FrameType.StopSending: OnStopSending(frame.StreamId, frame.ErrorCode); break;
                case FrameType.Crypto:
                    // The CRYPTO buffer bounds what a peer may make us hold ahead (RFC 9000 section 7.5).
                    space.CryptoReceive.OnData(frame.Offset, frame.Data, false);
                    DeliverCryptoData(space);
                    break;
                case FrameType.NewToken:
                    if (!IsClient) throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "a client sent NEW_TOKEN", frame.RawType);
                    break; // tokens are not used yet
                case FrameType.Stream: OnStreamFrame(frame.StreamId, frame.Offset, frame.Data, frame.Fin); break;
                case FrameType.MaxData: OnMaxData(frame.Maximum); break;
                case FrameType.MaxStreamData: OnMaxStreamData(frame.StreamId, frame.Maximum); break;
                case FrameType.MaxStreamsBidi: OnMaxStreams(true, frame.Maximum); break;
                case FrameType.MaxStreamsUni: OnMaxStreams(false, frame.Maximum); break;
                case FrameType.StreamDataBlocked: OnStreamDataBlocked(frame.StreamId); break;
                case FrameType.NewConnectionId: OnNewConnectionId(frame.SequenceNumber, frame.RetirePriorTo, frame.ConnectionId, frame.StatelessResetToken); break;
                case FrameType.RetireConnectionId: OnRetireConnectionId(frame.SequenceNumber, dcid); break;
                case FrameType.PathChallenge:
                    frame.Data.CopyTo(_pathResponse);
                    _pathResponsePending = true;
                    break;
                case FrameType.ConnectionClose:
                case FrameType.ApplicationClose:
                    OnConnectionClose(frame.Type == FrameType.ApplicationClose, frame.ErrorCode, frame.TriggeringFrameType, frame.ReasonPhrase, now);
                    return ackEliciting;
                case FrameType.HandshakeDone:
                    if (!IsClient) throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "a client sent HANDSHAKE_DONE", frame.RawType);
                    ConfirmHandshake();
                    break;
                case FrameType.Datagram:
                case FrameType.DatagramWithLength:
                    OnDatagramFrame(frame.Data, frame.EncodedLength, frame.RawType);
                    break;
                default:
                    throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, $"unknown frame type 0x{frame.RawType:x}", frame.RawType);
            }
        }
        return ackEliciting;
    }

    private void OnDatagramFrame(ReadOnlySpan<byte> data, int frameSize, long type)
    {
        if (_settings.MaxDatagramFrameSize <= 0)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "DATAGRAM received but not enabled", type);
        // RFC 9221 section 3: the frame (type + length + data) must not exceed what we announced.
        if (frameSize > _settings.MaxDatagramFrameSize)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "DATAGRAM larger than max_datagram_frame_size", type);
        _stats.DatagramsReceived++;
        _events.OnDatagramReceived(data);
    }

    private void OnConnectionClose(bool application, long code, long frameType, ReadOnlySpan<byte> reason, long now)
    {
        string text = System.Text.Encoding.UTF8.GetString(reason);
        EnterTerminal(new ConnectionCloseInfo(CloseKind.ConnectionClose, true, application, code, text, frameType), now, drain: true);
    }
}
