using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tls;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// AEAD usage limits (RFC 9001 section 6.6): 1-RTT packets protected with one key are counted and the
// keys are updated at half the confidentiality limit, long before it; if no update is possible by then,
// the connection closes with AEAD_LIMIT_REACHED while one more packet may still be protected. Packets
// that fail authentication are counted over the connection's life; beyond the integrity limit the
// connection closes with AEAD_LIMIT_REACHED.
internal sealed partial class QuicConnectionCore
{
    private long _confidentialityLimit = long.MaxValue;
    private long _integrityLimit = long.MaxValue;
    private long _protectedWithCurrentKeys;
    private long _mostProtectedWithOneKey;
    private long _authenticationFailures;

    /// <summary>Key updates this side started because the confidentiality limit came near.</summary>
    internal int AutomaticKeyUpdates { get; private set; }

    /// <summary>The most 1-RTT packets protected with one write key so far.</summary>
    internal long MostPacketsProtectedWithOneKey => Math.Max(_mostProtectedWithOneKey, _protectedWithCurrentKeys);

    /// <summary>Received Handshake and 1-RTT packets that failed authentication.</summary>
    internal long AuthenticationFailures => _authenticationFailures;

    private bool MayProtectApplicationPacket => _protectedWithCurrentKeys < _confidentialityLimit;

    private void SetAeadLimits(TlsCipherSuite suite)
    {
        _confidentialityLimit = _settings.AeadConfidentialityLimit ?? AeadLimits.GetConfidentialityLimit(suite);
        _integrityLimit = _settings.AeadIntegrityLimit ?? AeadLimits.GetIntegrityLimit(suite);
    }

    private void CountProtectedPacket() => _protectedWithCurrentKeys++;

    private void OnWriteKeysRotated()
    {
        _mostProtectedWithOneKey = Math.Max(_mostProtectedWithOneKey, _protectedWithCurrentKeys);
        _protectedWithCurrentKeys = 0;
    }

    /// <summary>Before each datagram: update the keys when half their packets are used, or close when no update is possible in time.</summary>
    private void EnforceConfidentialityLimit(long now)
    {
        if (_state != ConnectionState.Open || _protectedWithCurrentKeys < _confidentialityLimit / 2) return;
        if (InitiateKeyUpdate())
        {
            AutomaticKeyUpdates++;
            return;
        }
        if (_protectedWithCurrentKeys >= _confidentialityLimit - 1)
            CloseWithTransportError(TransportErrorCode.AeadLimitReached, "confidentiality limit of the packet protection keys reached and no key update possible", 0, now);
    }

    /// <summary>A received packet failed authentication: beyond the integrity limit the connection must close.</summary>
    private void OnAuthenticationFailure()
    {
        if (++_authenticationFailures > _integrityLimit)
            throw new QuicProtocolException(TransportErrorCode.AeadLimitReached, "integrity limit reached: too many packets failed authentication");
    }
}
