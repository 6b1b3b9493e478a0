namespace RtcClient.Quic.Tls;

/// <summary>HandshakeType codepoints (RFC 8446 section 4) this stack sends or recognises.</summary>
internal enum TlsHandshakeType : byte
{
    /// <summary>client_hello.</summary>
    ClientHello = 1,
    /// <summary>server_hello (also carries HelloRetryRequest).</summary>
    ServerHello = 2,
    /// <summary>new_session_ticket.</summary>
    NewSessionTicket = 4,
    /// <summary>end_of_early_data.</summary>
    EndOfEarlyData = 5,
    /// <summary>encrypted_extensions.</summary>
    EncryptedExtensions = 8,
    /// <summary>certificate.</summary>
    Certificate = 11,
    /// <summary>certificate_request.</summary>
    CertificateRequest = 13,
    /// <summary>certificate_verify.</summary>
    CertificateVerify = 15,
    /// <summary>finished.</summary>
    Finished = 20,
    /// <summary>key_update (forbidden in QUIC, RFC 9001 section 6).</summary>
    KeyUpdate = 24,
    /// <summary>message_hash: the synthetic transcript entry replacing ClientHello1 after a HelloRetryRequest.</summary>
    MessageHash = 254,
}
