using System.Security.Cryptography;
using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Tls;

/// <summary>
/// The TLS 1.3 key schedule without PSK (RFC 8446 section 7.1): early, handshake and master secrets,
/// the handshake and application traffic secrets, and Finished keys (section 4.4.4).
/// </summary>
internal sealed class TlsKeySchedule
{
    /// <summary>Creates the schedule for a suite's hash and computes the Early Secret (PSK = zeros).</summary>
    public TlsKeySchedule(HashAlgorithmName hash)
    {
        Hash = hash;
        HashLength = HashLengthOf(hash);
        EarlySecret = Extract(new byte[HashLength], new byte[HashLength]);
    }

    /// <summary>The suite's hash.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>Hash output length in bytes (32 or 48).</summary>
    public int HashLength { get; }

    /// <summary>Early Secret = HKDF-Extract(0, 0).</summary>
    public byte[] EarlySecret { get; }

    /// <summary>Handshake Secret, once <see cref="SetSharedSecret"/> was called.</summary>
    public byte[]? HandshakeSecret { get; private set; }

    /// <summary>Master Secret, once <see cref="DeriveMasterSecret"/> was called.</summary>
    public byte[]? MasterSecret { get; private set; }

    /// <summary>The hash of a suite (SHA-384 for TLS_AES_256_GCM_SHA384, else SHA-256).</summary>
    public static HashAlgorithmName HashOf(TlsCipherSuite suite)
        => suite == TlsCipherSuite.Aes256GcmSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>Output length of a hash used by TLS 1.3 suites.</summary>
    public static int HashLengthOf(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA384 ? 48 : 32;

    /// <summary>Transcript-Hash over the concatenated handshake messages.</summary>
    public byte[] TranscriptHash(ReadOnlySpan<byte> messages)
        => Hash == HashAlgorithmName.SHA384 ? SHA384.HashData(messages) : SHA256.HashData(messages);

    /// <summary>Derive-Secret(secret, label, transcript) given the transcript's hash.</summary>
    public byte[] DeriveSecret(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash)
        => HkdfLabel.Expand(Hash, secret, label, transcriptHash, HashLength);

    /// <summary>Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE).</summary>
    public void SetSharedSecret(ReadOnlySpan<byte> sharedSecret)
    {
        var derived = DeriveSecret(EarlySecret, "derived", TranscriptHash([]));
        HandshakeSecret = Extract(derived, sharedSecret);
    }

    /// <summary>client/server_handshake_traffic_secret over Transcript-Hash(ClientHello..ServerHello).</summary>
    public (byte[] Client, byte[] Server) HandshakeTrafficSecrets(ReadOnlySpan<byte> transcriptHash)
    {
        var hs = HandshakeSecret ?? throw new InvalidOperationException("no handshake secret yet");
        return (DeriveSecret(hs, "c hs traffic", transcriptHash), DeriveSecret(hs, "s hs traffic", transcriptHash));
    }

    /// <summary>Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0).</summary>
    public void DeriveMasterSecret()
    {
        var hs = HandshakeSecret ?? throw new InvalidOperationException("no handshake secret yet");
        var derived = DeriveSecret(hs, "derived", TranscriptHash([]));
        MasterSecret = Extract(derived, new byte[HashLength]);
    }

    /// <summary>client/server_application_traffic_secret_0 over Transcript-Hash(ClientHello..server Finished).</summary>
    public (byte[] Client, byte[] Server) ApplicationTrafficSecrets(ReadOnlySpan<byte> transcriptHash)
    {
        var ms = MasterSecret ?? throw new InvalidOperationException("no master secret yet");
        return (DeriveSecret(ms, "c ap traffic", transcriptHash), DeriveSecret(ms, "s ap traffic", transcriptHash));
    }

    /// <summary>HKDF-Extract(salt, IKM).</summary>
    public byte[] Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm)
    {
        var prk = new byte[HashLength];
        HKDF.Extract(Hash, ikm, salt, prk);
        return prk;
    }

    /// <summary>finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length).</summary>
    public byte[] FinishedKey(ReadOnlySpan<byte> trafficSecret)
        => HkdfLabel.Expand(Hash, trafficSecret, "finished", [], HashLength);

    /// <summary>verify_data = HMAC(finished_key, Transcript-Hash(...)).</summary>
    public byte[] VerifyData(ReadOnlySpan<byte> trafficSecret, ReadOnlySpan<byte> transcriptHash)
    {
        var key = FinishedKey(trafficSecret);
        return Hash == HashAlgorithmName.SHA384 ? HMACSHA384.HashData(key, transcriptHash) : HMACSHA256.HashData(key, transcriptHash);
    }
}
