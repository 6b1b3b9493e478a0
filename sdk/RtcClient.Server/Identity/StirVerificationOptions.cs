using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Server.Identity;

/// <summary>How a trunk group verifies callers' identities (RFC 8224 section 6.2, RFC 8226, RFC 8588).</summary>
public sealed class StirVerificationOptions
{
    /// <summary>Off, optional or required.</summary>
    public StirVerificationMode Mode { get; init; } = StirVerificationMode.Off;

    /// <summary>The STIR trust anchors (root certificates of the certification authorities accepted).</summary>
    public X509Certificate2Collection TrustAnchors { get; init; } = [];

    /// <summary>Where certificates come from; null uses the server's shared HTTPS resolver.</summary>
    public IStirCertificateResolver? CertificateResolver { get; init; }

    /// <summary>How far <c>iat</c> may be from now (RFC 8224 recommends 60 s).</summary>
    public TimeSpan Freshness { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Service provider codes trusted for any calling number: a certificate whose TNAuthList lists one
    /// of them covers every <c>orig</c> (SHAKEN certificates carry a code, not numbers).
    /// </summary>
    public IReadOnlyCollection<string> TrustedServiceProviderCodes { get; init; } = [];
}
