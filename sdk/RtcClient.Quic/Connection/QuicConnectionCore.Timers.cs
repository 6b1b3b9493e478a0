namespace RtcClient.Quic.Connection;

// Timers: one deadline out, one entry point in.
internal sealed partial class QuicConnectionCore
{
    /// <summary>When <see cref="OnTimeout"/> should next be called (microseconds), or long.MaxValue.</summary>
    public long NextTimeout
    {
        get
        {
            switch (_state)
            {
                case ConnectionState.Closed:
                    return long.MaxValue;
                case ConnectionState.Closing:
                case ConnectionState.Draining:
                    return _closeDeadline;
            }
            long t = Math.Min(LossDetectionDeadline(), IdleDeadline());
            t = Math.Min(t, _spaces[2].AckDeadline);
            t = Math.Min(t, _pacingReleaseTime);
            if (_readPrevious is not null) t = Math.Min(t, _readPreviousDiscardTime);
            return t;
        }
    }

    /// <summary>Handles every timer due at <paramref name="now"/>.</summary>
    public void OnTimeout(long now)
    {
        _lastEventTime = now;
        try
        {
            if (_state is ConnectionState.Closing or ConnectionState.Draining)
            {
                if (now >= _closeDeadline) Terminate();
                return;
            }
            if (_state == ConnectionState.Closed) return;
            CheckIdle(now);
            if (_state != ConnectionState.Open) return;
            if (_spaces[2].AckDeadline <= now) _spaces[2].AckImmediately = true;
            if (_readPrevious is not null && _readPreviousDiscardTime <= now)
            {
                _readPrevious.Dispose();
                _readPrevious = null;
            }
            if (LossDetectionDeadline() <= now) OnLossDetectionTimeout(now);
            UpdateLossDetectorState(now);
        }
#pragma warning disable CA1031 // a bug must close this connection, never the process
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CloseWithTransportError(Wire.TransportErrorCode.InternalError, "internal error: " + e.Message, 0, now);
        }
#pragma warning restore CA1031
    }
}
