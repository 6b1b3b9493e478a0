using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace RtcClient.Identity;

/// <summary>
/// What an authentication service (RFC 8224 section 6.1) signs caller IDs with: a STIR certificate
/// (RFC 8226) with its ECDSA P-256 private key, the HTTPS URL where verifiers fetch that certificate
/// and its chain (the PASSporT's <c>x5u</c> and the header's <c>info</c>), and the SHAKEN attestation
/// level and origination identifier (RFC 8588) put in each PASSporT.
/// </summary>
public sealed class StirSigningCredential : IDisposable
{
    private readonly ECDsa _key;

    /// <summary>Creates the credential; the certificate must carry an ECDSA P-256 private key.</summary>
    /// <exception cref="ArgumentException">No ECDSA P-256 private key, or <paramref name="info"/> is not an absolute URI.</exception>
    public StirSigningCredential(X509Certificate2 certificate, Uri info)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(info);
        if (!info.IsAbsoluteUri)
            throw new ArgumentException("the certificate URL must be absolute", nameof(info));
        _key = certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("the certificate has no ECDSA private key (ES256 needs P-256)", nameof(certificate));
        if (_key.KeySize != 256 || _key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            _key.Dispose();
            throw new ArgumentException("ES256 needs an ECDSA P-256 key", nameof(certificate));
        }
        Certificate = certificate;
        Info = info;
        // No provider cache: it is keyed by the key's thumbprint and would outlive this credential's key.
        var securityKey = new ECDsaSecurityKey(_key) { CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } };
        SigningCredentials = new SigningCredentials(securityKey, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>The STIR certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Where verifiers fetch the certificate chain (PEM, leaf first).</summary>
    public Uri Info { get; }

    /// <summary>SHAKEN attestation: "A" (full), "B" (partial) or "C" (gateway).</summary>
    public string Attestation
    {
        get;
        init => field = value is "A" or "B" or "C" ? value : throw new ArgumentException("attestation is A, B or C", nameof(value));
    } = "A";

    /// <summary>SHAKEN <c>origid</c>: a UUID naming the point where calls enter the network (one per credential by default).</summary>
    public string OrigId { get; init; } = Guid.NewGuid().ToString();

    internal SigningCredentials SigningCredentials { get; }

    /// <summary>Releases the private key.</summary>
    public void Dispose() => _key.Dispose();
}
