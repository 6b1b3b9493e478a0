namespace RtcClient.Server.Identity;

/// <summary>A trunk group's caller identity policy (docs/protocol.md section 9).</summary>
public enum StirVerificationMode
{
    /// <summary>The identity is passed on unverified.</summary>
    Off,
    /// <summary>Verified when present; a call whose identity fails or is missing still goes through, and the callee sees the result.</summary>
    Optional,
    /// <summary>Every call must carry an identity that verifies, or it is refused (403 <c>identity-invalid</c>).</summary>
    Required,
}
