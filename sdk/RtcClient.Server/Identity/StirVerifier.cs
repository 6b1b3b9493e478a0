using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RtcClient.Identity;
using RtcClient.Protocol;

namespace RtcClient.Server.Identity;

/// <summary>
/// The verification service of RFC 8224 section 6.2 for SHAKEN PASSporTs (docs/protocol.md section 9):
/// parses the Identity header value, fetches the certificate from <c>info</c>, checks its chain to the
/// trunk group's trust anchors, its key (P-256) and TNAuthList (RFC 8226), the JWS signature (ES256),
/// and the claims: <c>iat</c> fresh, <c>dest</c> the called destination, <c>orig</c> covered by the
/// certificate. Never throws for what the caller sent: every failure is a result with its RFC 8224 code.
/// </summary>
public sealed class StirVerifier
{
    private static readonly JsonWebTokenHandler Handler = new();
    private readonly IStirCertificateResolver _defaultResolver;
    private readonly TimeProvider _time;

    /// <summary>Creates the verifier; <paramref name="defaultResolver"/> serves trunk groups that name none.</summary>
    public StirVerifier(IStirCertificateResolver defaultResolver, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(defaultResolver);
        _defaultResolver = defaultResolver;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Verifies <paramref name="identity"/> for a call to <paramref name="destination"/>. The result's
    /// status is Passed (with attestation and calling number), Failed or None, and <c>error</c> carries
    /// the SIP code of a failure (428 when there is no identity at all).
    /// </summary>
    public async ValueTask<IdentityVerification> VerifyAsync(string? identity, string destination, StirVerificationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(identity))
            return new IdentityVerification { Status = VerificationStatus.None, Error = IdentityError.Missing, Detail = "the call carries no identity" };
        if (!IdentityHeader.TryParse(identity, out var header))
            return Fail(IdentityError.Invalid, "the identity is not an RFC 8224 Identity header value");
        if (header.Algorithm is not null && header.Algorithm != PassportSigner.Algorithm)
            return Fail(IdentityError.UnsupportedCredential, $"alg '{header.Algorithm}' is not supported (ES256 only)");
        if (header.PassportType is not null && header.PassportType != PassportSigner.PassportType)
            return Fail(IdentityError.Invalid, $"ppt '{header.PassportType}' is not supported (shaken only)");
        if (header.Info is null)
            return Fail(IdentityError.BadInfo, "the identity has no absolute 'info' URI");

        JsonWebToken token;
        PassportClaims? claims;
        try
        {
            token = new JsonWebToken(header.Passport);
            if (token.Alg != PassportSigner.Algorithm)
                return Fail(IdentityError.UnsupportedCredential, $"the PASSporT is signed with '{token.Alg}', not ES256");
            if (token.Typ != "passport")
                return Fail(IdentityError.Invalid, $"the PASSporT's typ is '{token.Typ}', not 'passport'");
            if (!token.TryGetHeaderValue<string>("ppt", out var ppt) || ppt != PassportSigner.PassportType)
                return Fail(IdentityError.Invalid, "the PASSporT's ppt is not 'shaken'");
            if (!token.TryGetHeaderValue<string>("x5u", out var x5u) || x5u != header.Info.AbsoluteUri)
                return Fail(IdentityError.Invalid, "the PASSporT's x5u is not the header's info URI");
            if (!PassportClaims.TryParse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload), out claims, out var why))
                return Fail(IdentityError.Invalid, "the PASSporT's claims are invalid: " + why);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or SecurityTokenException or System.Text.Json.JsonException)
        {
            return Fail(IdentityError.Invalid, "the PASSporT is not a valid JWS: " + e.Message);
        }

        X509Certificate2Collection chain;
        try
        {
            chain = await (options.CertificateResolver ?? _defaultResolver).ResolveAsync(header.Info, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Fail(IdentityError.BadInfo, $"the certificate at {header.Info} could not be obtained: {e.Message}");
        }
        if (chain.Count == 0)
            return Fail(IdentityError.BadInfo, $"{header.Info} holds no certificate");

        var leaf = chain[0];
        using var key = leaf.GetECDsaPublicKey();
        if (key is null || key.KeySize != 256)
            return Fail(IdentityError.UnsupportedCredential, "the certificate's key is not ECDSA P-256");
        TnAuthList? authorized;
        try
        {
            authorized = TnAuthList.FromCertificate(leaf);
        }
        catch (CryptographicException e)
        {
            return Fail(IdentityError.UnsupportedCredential, "the certificate's TNAuthList is malformed: " + e.Message);
        }
        if (authorized is null)
            return Fail(IdentityError.UnsupportedCredential, "the certificate has no TNAuthList (RFC 8226)");
        if (!ChainsToTrustAnchor(chain, options.TrustAnchors, out var chainProblem))
            return Fail(IdentityError.UnsupportedCredential, "the certificate is not trusted: " + chainProblem);

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            // No provider cache: it is keyed by the key's thumbprint and would keep this (disposed) key for the next call.
            IssuerSigningKey = new ECDsaSecurityKey(key) { CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } },
            ValidAlgorithms = [PassportSigner.Algorithm],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
        }).ConfigureAwait(false);
        if (!result.IsValid)
            return Fail(IdentityError.Invalid, "the PASSporT's signature does not verify");

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - claims.IssuedAt) > (long)options.Freshness.TotalSeconds)
            return Fail(IdentityError.Invalid, $"the PASSporT is stale: iat is {now - claims.IssuedAt} s from now (at most {options.Freshness.TotalSeconds} s)");
        bool destinationMatches = TelephoneNumber.TryCanonicalize(destination, out var called)
            ? claims.DestinationNumbers.Contains(called, StringComparer.Ordinal)
            : claims.DestinationUris.Contains(destination, StringComparer.Ordinal);
        if (!destinationMatches)
            return Fail(IdentityError.Invalid, $"the PASSporT's dest does not name '{destination}'");
        if (!authorized.Covers(claims.OriginNumber) && !authorized.ServiceProviderCodes.Any(options.TrustedServiceProviderCodes.Contains))
            return Fail(IdentityError.Invalid, $"the certificate's TNAuthList does not cover orig '{claims.OriginNumber}'");

        return new IdentityVerification
        {
            Status = VerificationStatus.Passed, Attestation = claims.Attestation, Origin = claims.OriginNumber, OrigId = claims.OrigId,
        };
    }

    private bool ChainsToTrustAnchor(X509Certificate2Collection chain, X509Certificate2Collection anchors, out string problem)
    {
        if (anchors.Count == 0)
        {
            problem = "the trunk group has no STIR trust anchors";
            return false;
        }
        using var builder = new X509Chain();
        builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        builder.ChainPolicy.CustomTrustStore.AddRange(anchors);
        for (int i = 1; i < chain.Count; i++)
            builder.ChainPolicy.ExtraStore.Add(chain[i]);
        // STIR certificates are short-lived and SHAKEN distributes revocation out of band: no CRL/OCSP fetches here.
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        builder.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        builder.ChainPolicy.VerificationTimeIgnored = false;
        if (builder.Build(chain[0]))
        {
            problem = string.Empty;
            return true;
        }
        problem = string.Join("; ", builder.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("no chain to a trust anchor"));
        return false;
    }

    private static IdentityVerification Fail(int code, string detail)
        => new() { Status = VerificationStatus.Failed, Error = code, Detail = detail };
}
