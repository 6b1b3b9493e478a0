namespace RtcClient.Quic.Crypto;

/// <summary>The four encryption levels of QUIC (RFC 9001 section 2.1); each but 0-RTT has its own packet number space.</summary>
public enum EncryptionLevel
{
    /// <summary>Initial keys, derived from the client's first Destination Connection ID.</summary>
    Initial = 0,
    /// <summary>0-RTT (early data) keys.</summary>
    EarlyData = 1,
    /// <summary>Handshake keys.</summary>
    Handshake = 2,
    /// <summary>1-RTT (application data) keys.</summary>
    Application = 3,
}
