using RtcClient.Quic.Crypto;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Closing: CONNECTION_CLOSE, closing and draining states, idle timeout (RFC 9000 section 10).
internal sealed partial class QuicConnectionCore
{
    private ConnectionState _state = ConnectionState.Open;
    private ConnectionCloseInfo? _closeInfo;
    private long _closeDeadline = long.MaxValue;
    private bool _closeFrameNeeded;
    private int _closePacketsSent;

    /// <summary>The lifecycle state.</summary>
    public ConnectionState State => _state;

    /// <summary>Why the connection closed, once it is closing.</summary>
    public ConnectionCloseInfo? CloseInfo => _closeInfo;

    /// <summary>Closes with an application error code (CONNECTION_CLOSE 0x1d; 0x1c APPLICATION_ERROR before the handshake completes).</summary>
    public void Close(long errorCode, string reason, long now)
    {
        if (_state != ConnectionState.Open) return;
        StartClosing(new ConnectionCloseInfo(CloseKind.ConnectionClose, false, true, errorCode, reason), now);
    }

    private void CloseWithTransportError(TransportErrorCode code, string reason, long frameType, long now)
    {
        if (_state != ConnectionState.Open) return;
        StartClosing(new ConnectionCloseInfo(CloseKind.ConnectionClose, false, false, (long)code, reason, frameType), now);
    }

    private void StartClosing(ConnectionCloseInfo info, long now)
    {
        _closeInfo = info;
        _state = ConnectionState.Closing;
        _closeFrameNeeded = true;
        _closeDeadline = now + 3 * PtoDuration;
        DropSendState();
        _events.OnClosing(info);
    }

    /// <summary>Enters draining (peer closed, stateless reset) or ends at once (version negotiation failure).</summary>
    private void EnterTerminal(ConnectionCloseInfo info, long now, bool drain)
    {
        if (_state is ConnectionState.Draining or ConnectionState.Closed) return;
        bool announce = _state == ConnectionState.Open;
        _closeInfo ??= info;
        DropSendState();
        if (drain && info.Kind == CloseKind.ConnectionClose)
        {
            _state = ConnectionState.Draining;
            _closeDeadline = now + 3 * PtoDuration;
            if (announce) _events.OnClosing(info);
            return;
        }
        if (announce) _events.OnClosing(info);
        Terminate();
    }

    private void Terminate()
    {
        if (_state == ConnectionState.Closed) return;
        _state = ConnectionState.Closed;
        _closeDeadline = long.MaxValue;
        foreach (var space in _spaces)
        {
            DiscardSpace(space);
            space.Dispose();
        }
        foreach (var s in _streams.Values) s.Dispose();
        _events.OnTerminated();
    }

    private void DropSendState()
    {
        _datagramQueue.Clear();
        _sendQueue.Clear();
        foreach (var s in _streams.Values) s.InSendQueue = false;
    }

    private void WriteConnectionClose(PacketNumberSpace space, ref PayloadWriter w)
    {
        var info = _closeInfo!;
        // An application close before 1-RTT must not reveal the application's code (RFC 9000 section 10.2.3).
        bool application = info.IsApplication && space.Level == EncryptionLevel.Application;
        long code = info.IsApplication && !application ? (long)TransportErrorCode.ApplicationError : info.ErrorCode;
        int reasonLength = Math.Min(System.Text.Encoding.UTF8.GetByteCount(info.Reason), Math.Max(0, w.Remaining - 30));
        if (!application) reasonLength = info.IsApplication ? 0 : reasonLength;
        w.Byte(application ? (byte)0x1d : (byte)0x1c);
        w.Varint(code);
        if (!application) w.Varint(info.IsApplication ? 0 : info.FrameType);
        w.Varint(reasonLength);
        if (reasonLength > 0)
        {
            Span<byte> reason = reasonLength <= 256 ? stackalloc byte[reasonLength] : new byte[reasonLength];
            System.Text.Encoding.UTF8.GetBytes(info.Reason.AsSpan(0, Math.Min(info.Reason.Length, reasonLength)), reason);
            w.Bytes(reason);
        }
        _closePacketsSent++;
    }

    private long IdleTimeoutDuration()
    {
        long local = (long)_settings.IdleTimeout.TotalMicroseconds;
        long peer = (_peerParameters?.MaxIdleTimeout ?? 0) * 1000;
        long idle = local == 0 ? peer : peer == 0 ? local : Math.Min(local, peer);
        if (idle == 0) return long.MaxValue;
        return Math.Max(idle, 3 * PtoDuration);
    }

    private long IdleDeadline()
    {
        long idle = IdleTimeoutDuration();
        long deadline = idle == long.MaxValue ? long.MaxValue : _lastActivity + idle;
        if (!_handshakeComplete && _settings.HandshakeTimeout > TimeSpan.Zero)
            deadline = Math.Min(deadline, _createdAt + (long)_settings.HandshakeTimeout.TotalMicroseconds);
        return deadline;
    }

    private void CheckIdle(long now)
    {
        if (_state != ConnectionState.Open || IdleDeadline() > now) return;
        bool handshakeTimedOut = !_handshakeComplete && _settings.HandshakeTimeout > TimeSpan.Zero && _createdAt + (long)_settings.HandshakeTimeout.TotalMicroseconds <= now;
        var info = handshakeTimedOut
            ? new ConnectionCloseInfo(CloseKind.HandshakeTimeout, false, false, 0, "handshake timed out")
            : new ConnectionCloseInfo(CloseKind.IdleTimeout, false, false, 0, "idle timeout");
        // RFC 9000 section 10.1: the connection is silently closed.
        _closeInfo = info;
        _events.OnClosing(info);
        _state = ConnectionState.Draining;
        Terminate();
    }
}
