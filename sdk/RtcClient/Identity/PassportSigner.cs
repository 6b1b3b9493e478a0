using Microsoft.IdentityModel.JsonWebTokens;

namespace RtcClient.Identity;

/// <summary>
/// The authentication service of RFC 8224 section 6.1 for SHAKEN (RFC 8588): builds the PASSporT
/// (RFC 8225: JWS with ES256, <c>typ</c> "passport", <c>ppt</c> "shaken", <c>x5u</c>) over canonical
/// claims and wraps it in an Identity header value. The JWS itself is made by
/// Microsoft.IdentityModel.JsonWebTokens.
/// </summary>
public static class PassportSigner
{
    /// <summary>The PASSporT extension this SDK signs and verifies.</summary>
    public const string PassportType = "shaken";

    /// <summary>The one signature algorithm STIR requires.</summary>
    public const string Algorithm = "ES256";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>
    /// The Identity header value for a call from <paramref name="origin"/> to <paramref name="destinations"/>
    /// signed at <paramref name="issuedAt"/>. Numbers are canonicalized; a destination that is not a
    /// number goes into <c>dest.uri</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="origin"/> is not a telephone number, or there is no destination.</exception>
    public static string CreateIdentityHeader(StirSigningCredential credential, string origin, IEnumerable<string> destinations, DateTimeOffset issuedAt,
        string? attestation = null, string? origId = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(destinations);
        if (!TelephoneNumber.TryCanonicalize(origin, out var orig))
            throw new ArgumentException($"'{origin}' is not a telephone number; SHAKEN signs calling numbers only", nameof(origin));
        var numbers = new List<string>();
        var uris = new List<string>();
        foreach (var d in destinations)
        {
            if (TelephoneNumber.TryCanonicalize(d, out var tn)) numbers.Add(tn);
            else if (!string.IsNullOrWhiteSpace(d)) uris.Add(d);
        }
        if (numbers.Count + uris.Count == 0)
            throw new ArgumentException("a PASSporT names at least one destination", nameof(destinations));
        var claims = new PassportClaims
        {
            Attestation = attestation ?? credential.Attestation,
            OriginNumber = orig,
            DestinationNumbers = numbers,
            DestinationUris = uris,
            IssuedAt = issuedAt.ToUnixTimeSeconds(),
            OrigId = origId ?? credential.OrigId,
        };
        return new IdentityHeader(Sign(claims, credential), credential.Info, Algorithm, PassportType).ToString();
    }

    /// <summary>The PASSporT (compact JWS) over <paramref name="claims"/>.</summary>
    public static string Sign(PassportClaims claims, StirSigningCredential credential)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(credential);
        // The handler writes "alg" first and these after it; in this order the header is canonical too
        // (alg, ppt, typ, x5u), as long as the key has no key id (no "kid").
        var header = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["ppt"] = PassportType,
            ["typ"] = "passport",
            ["x5u"] = credential.Info.AbsoluteUri,
        };
        return Handler.CreateToken(claims.ToCanonicalJson(), credential.SigningCredentials, header);
    }
}
