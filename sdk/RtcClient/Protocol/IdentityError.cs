namespace RtcClient.Protocol;

/// <summary>The SIP codes of RFC 8224 that a failed caller identity maps to (<c>identityError</c> of the problem).</summary>
public static class IdentityError
{
    /// <summary>428 Use Identity Header: none was sent and the trunk group requires one.</summary>
    public const int Missing = 428;
    /// <summary>436 Bad Identity Info: no usable <c>info</c> URI, or the certificate could not be fetched.</summary>
    public const int BadInfo = 436;
    /// <summary>437 Unsupported Credential: the algorithm or the certificate is not one the verifier accepts (untrusted chain, no TNAuthList, not P-256).</summary>
    public const int UnsupportedCredential = 437;
    /// <summary>438 Invalid Identity Header: malformed, bad signature, stale, or claims that do not match the call.</summary>
    public const int Invalid = 438;
}
