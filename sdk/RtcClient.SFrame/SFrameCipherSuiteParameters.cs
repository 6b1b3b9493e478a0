using System.Security.Cryptography;

namespace RtcClient.SFrame;

/// <summary>
/// The constants of one cipher suite (RFC 9605 section 4.5, table 1).
/// </summary>
/// <param name="Suite">The suite these constants describe.</param>
/// <param name="Hash">Hash function used by HKDF (and by HMAC for the AES-CTR suites).</param>
/// <param name="Nh">Hash output size in bytes.</param>
/// <param name="Nka">AES key size inside the compound AES-CTR/HMAC key, or 0 for AES-GCM.</param>
/// <param name="Nk">AEAD key size in bytes (the size of <c>sframe_key</c>).</param>
/// <param name="Nn">Nonce size in bytes (the size of <c>sframe_salt</c>).</param>
/// <param name="Nt">Authentication tag size in bytes (the per-frame overhead of the AEAD).</param>
public readonly record struct SFrameCipherSuiteParameters(
    SFrameCipherSuite Suite,
    HashAlgorithmName Hash,
    int Nh,
    int Nka,
    int Nk,
    int Nn,
    int Nt)
{
    /// <summary>Whether the suite is the AES-CTR + HMAC compound AEAD of RFC 9605 section 4.5.1.</summary>
    public bool IsCtrHmac => Nka != 0;
}
