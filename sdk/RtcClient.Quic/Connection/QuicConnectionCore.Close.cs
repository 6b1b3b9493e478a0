using RtcClient.Quic.Crypto;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Closing: CONNECTION_CLOSE, closing and draining states, idle timeout (RFC 9000 section 10).
internal sealed partial class QuicConnectionCore
{
    private ConnectionState _state = ConnectionState.Open;
    private QlogWriter? _qlog;
    private ConnectionCloseInfo? _closeInfo;
    private long _closeDeadline = long.MaxValue;
    private bool _closeFrameNeeded;
    private int _closePacketsSent;
    // Longest reason phrase we send in CONNECTION_CLOSE.
    private const int MaxReasonLength = 256;

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

    /// <summary>
    /// Forgets the connection at once and silently: no CONNECTION_CLOSE, no closing period (the peer, if any,
    /// learns of it by a stateless reset or its idle timeout). For an endpoint shedding half-open handshakes.
    /// </summary>
    public void Abandon(long now)
    {
        _lastEventTime = now;
        EnterTerminal(new ConnectionCloseInfo(CloseKind.Abandoned, false, false, 0, "connection state dropped"), now, drain: false);
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

    /// <summary>
    /// Enters draining (peer closed; stateless reset, RFC 9000 section 10.3.1: late datagrams still reach the
    /// silent connection instead of prompting resets of our own) or ends at once (version negotiation failure).
    /// </summary>
    private void EnterTerminal(ConnectionCloseInfo info, long now, bool drain)
    {
        if (_state is ConnectionState.Draining or ConnectionState.Closed) return;
        bool announce = _state == ConnectionState.Open;
        _closeInfo ??= info;
        DropSendState();
        if (drain && info.Kind is CloseKind.ConnectionClose or CloseKind.StatelessReset)
        {
            _state = ConnectionState.Draining;
            _closeDeadline = now + 3 * PtoDuration;
            if (announce) _events.OnClosing(info);
            return;
        }
        if (announce) _events.OnClosing(info);
        Terminate();
    }

    /// <summary>Closes the qlog trace (at termination, or when the owner drops the connection during its closing period).</summary>
    internal void CloseTrace()
    {
        _qlog?.Dispose();
        _qlog = null;
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
        CloseTrace();
        _events.OnTerminated();
    }

    private void DropSendState()
    {
        _datagramQueue.Clear();
        _sendQueue.Clear();
        foreach (var s in _streams.Values) s.InSendQueue = false;
    }

    private void WriteConnectionClose(PacketNumberSpace space, Span<byte> payload, ref int pos)
    {
        var info = _closeInfo!;
        // An application close before 1-RTT must not reveal the application's code (RFC 9000 section 10.2.3).
        bool application = info.IsApplication && space.Level == EncryptionLevel.Application;
        var room = payload[pos..];
        // The reason phrase is diagnostic: cut (at a character boundary) to what fits.
        Span<byte> reason = stackalloc byte[MaxReasonLength];
        int reasonLength = 0;
        if (!info.IsApplication || application)
        {
            int fit = Math.Clamp(room.Length - 24, 0, MaxReasonLength);
            System.Text.Unicode.Utf8.FromUtf16(info.Reason, reason[..fit], out _, out reasonLength);
        }
        bool ok = application
            ? FrameWriter.TryWriteApplicationClose(room, info.ErrorCode, reason[..reasonLength], out int n)
            : FrameWriter.TryWriteConnectionClose(room, info.IsApplication ? (long)TransportErrorCode.ApplicationError : info.ErrorCode,
                info.IsApplication ? 0 : info.FrameType, reason[..reasonLength], out n);
        if (!ok) return;
        pos += n;
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
