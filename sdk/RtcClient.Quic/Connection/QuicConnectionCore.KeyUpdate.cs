using RtcClient.Quic.Crypto;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// 1-RTT key update (RFC 9001 section 6): read and write phases move separately; the peer's first
// packet in a new phase proves it updated, and we follow with our write keys.
internal sealed partial class QuicConnectionCore
{
    private int _readPhase;
    private int _writePhase;
    private PacketProtection? _readNext;
    private PacketProtection? _readPrevious;
    private long _readPreviousDiscardTime = long.MaxValue;
    private long _readPhaseStartPn = -1;
    private long _writePhaseStartPn;
    private bool _writePhaseAcknowledged;
    private bool _keyUpdatePing;

    /// <summary>
    /// Starts a key update now (RFC 9001 section 6.1); returns false when not allowed yet (handshake not
    /// confirmed, or the previous update not yet acknowledged by the peer).
    /// </summary>
    public bool InitiateKeyUpdate()
    {
        var space = _spaces[2];
        if (!_handshakeConfirmed || _state != ConnectionState.Open || space.WriteKeys is null) return false;
        if (!_writePhaseAcknowledged || _readPhase != _writePhase) return false;
        RotateWriteKeys();
        _keyUpdatePing = true; // send something in the new phase promptly
        return true;
    }

    private void RotateWriteKeys()
    {
        var space = _spaces[2];
        var next = space.WriteKeys!.NextKeyPhase();
        space.WriteKeys.Dispose();
        space.WriteKeys = next;
        _writePhase ^= 1;
        _writePhaseStartPn = space.NextPacketNumber;
        _writePhaseAcknowledged = false;
        OnWriteKeysRotated();
    }

    /// <summary>Chooses the keys for a 1-RTT packet with key phase bit <paramref name="phase"/>.</summary>
    private PacketProtection? SelectReadKeys(int phase, long pn, out bool isNextPhase)
    {
        isNextPhase = false;
        if (phase == _readPhase) return _spaces[2].ReadKeys;
        // The other phase: an old packet from before the last update, or the peer's next update.
        if (_readPrevious is not null && (_readPhaseStartPn < 0 || pn < _readPhaseStartPn)) return _readPrevious;
        isNextPhase = true;
        return _readNext;
    }

    private void OnPeerKeyUpdate(long pn, long now)
    {
        if (!_handshakeConfirmed && !_handshakeComplete)
            throw new QuicProtocolException(TransportErrorCode.KeyUpdateError, "key update before the handshake completed");
        var space = _spaces[2];
        _readPrevious?.Dispose();
        _readPrevious = space.ReadKeys;
        space.ReadKeys = _readNext;
        _readNext = space.ReadKeys!.NextKeyPhase();
        _readPhase ^= 1;
        _readPhaseStartPn = pn;
        _readPreviousDiscardTime = now + 3 * PtoDuration;
        if (_writePhase != _readPhase)
        {
            // The peer initiated: answer with our own update.
            RotateWriteKeys();
            _keyUpdatePing = true;
        }
        KeyUpdates++;
    }
}
