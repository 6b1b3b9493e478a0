using RtcClient.Quic.Crypto;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Frame processing (RFC 9000 section 19; RFC 9221 section 4).
internal sealed partial class QuicConnectionCore
{
    /// <summary>Processes every frame of a payload; returns true when the packet was ack-eliciting.</summary>
    private bool ProcessFrames(PacketNumberSpace space, ReadOnlySpan<byte> payload, ConnectionId dcid, long now)
    {
        var reader = new PayloadReader(payload);
        bool ackEliciting = false;
        bool handshakeSpace = space.Level != EncryptionLevel.Application;
        while (!reader.End)
        {
            long type = reader.Varint();
            reader.FrameType = type;
            // RFC 9000 section 12.4 table 3: Initial and Handshake packets carry only these frames.
            if (handshakeSpace && type is not (0x00 or 0x01 or 0x02 or 0x03 or 0x06 or 0x1c))
                throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, $"frame 0x{type:x} not allowed in {space.Level} packets", type);
            if (type is not (0x00 or 0x02 or 0x03 or 0x1c or 0x1d)) ackEliciting = true;
            if (_state == ConnectionState.Closing && type is not (0x1c or 0x1d))
            {
                // Closing: only CONNECTION_CLOSE matters; skip the rest of the packet.
                SkipFrame(ref reader, type);
                continue;
            }
            switch (type)
            {
                case 0x00: reader.SkipPadding(); break;
                case 0x01: break;
                case 0x02:
                case 0x03: ProcessAckFrame(space, ref reader, type == 0x03, now); break;
                case 0x04: OnResetStream(reader.Varint(), reader.Varint(), reader.Varint()); break;
                case 0x05: OnStopSending(reader.Varint(), reader.Varint()); break;
                case 0x06:
                {
                    long offset = reader.Varint();
                    long length = reader.Varint();
                    var data = reader.Bytes(length);
                    if (offset + length > VariableLengthInteger.MaxValue)
                        throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "CRYPTO past 2^62", type);
                    // The CRYPTO buffer bounds what a peer may make us hold ahead (RFC 9000 section 7.5).
                    space.CryptoReceive.OnData(offset, data, false);
                    DeliverCryptoData(space);
                    break;
                }
                case 0x07:
                {
                    if (!IsClient) throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "a client sent NEW_TOKEN", type);
                    long length = reader.Varint();
                    if (length == 0) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "empty NEW_TOKEN", type);
                    reader.Bytes(length); // tokens are not used yet
                    break;
                }
                case >= 0x08 and <= 0x0f:
                {
                    long id = reader.Varint();
                    long offset = (type & 0x04) != 0 ? reader.Varint() : 0;
                    long length = (type & 0x02) != 0 ? reader.Varint() : payload.Length - reader.Position;
                    var data = reader.Bytes(length);
                    if (offset + length > VariableLengthInteger.MaxValue)
                        throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "STREAM past 2^62", type);
                    OnStreamFrame(id, offset, data, (type & 0x01) != 0);
                    break;
                }
                case 0x10: OnMaxData(reader.Varint()); break;
                case 0x11: OnMaxStreamData(reader.Varint(), reader.Varint()); break;
                case 0x12:
                case 0x13: OnMaxStreams(type == 0x12, reader.Varint()); break;
                case 0x14: reader.Varint(); break;
                case 0x15: OnStreamDataBlocked(reader.Varint()); reader.Varint(); break;
                case 0x16:
                case 0x17:
                    if (reader.Varint() > 1L << 60) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "STREAMS_BLOCKED above 2^60", type);
                    break;
                case 0x18:
                {
                    long sequence = reader.Varint();
                    long retirePriorTo = reader.Varint();
                    long length = reader.Bytes(1)[0];
                    if (length is < 1 or > 20) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "NEW_CONNECTION_ID length outside 1..20", type);
                    var id = reader.Bytes(length);
                    var token = reader.Bytes(16);
                    OnNewConnectionId(sequence, retirePriorTo, id, token);
                    break;
                }
                case 0x19: OnRetireConnectionId(reader.Varint(), dcid); break;
                case 0x1a:
                    reader.Bytes(8).CopyTo(_pathResponse);
                    _pathResponsePending = true;
                    break;
                case 0x1b: reader.Bytes(8); break; // we never send PATH_CHALLENGE, so nothing to match
                case 0x1c:
                case 0x1d:
                {
                    long code = reader.Varint();
                    long frameType = type == 0x1c ? reader.Varint() : 0;
                    long length = reader.Varint();
                    var reason = reader.Bytes(length);
                    OnConnectionClose(type == 0x1d, code, frameType, reason, now);
                    return ackEliciting;
                }
                case 0x1e:
                    if (!IsClient) throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "a client sent HANDSHAKE_DONE", type);
                    ConfirmHandshake();
                    break;
                case 0x30:
                case 0x31:
                {
                    long length = type == 0x31 ? reader.Varint() : payload.Length - reader.Position;
                    var data = reader.Bytes(length);
                    OnDatagramFrame(data, type);
                    break;
                }
                default:
                    throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, $"unknown frame type 0x{type:x}", type);
            }
        }
        return ackEliciting;
    }

    private static void SkipFrame(ref PayloadReader reader, long type)
    {
        // In the closing state only framing matters; the simplest safe skip is the rest of the packet.
        _ = type;
        reader.Rest();
    }

    private void OnDatagramFrame(ReadOnlySpan<byte> data, long type)
    {
        if (_settings.MaxDatagramFrameSize <= 0)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "DATAGRAM received but not enabled", type);
        // RFC 9221 section 3: the frame (type + length + data) must not exceed what we announced.
        int frameSize = 1 + (type == 0x31 ? VariableLengthInteger.GetLength(data.Length) : 0) + data.Length;
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
