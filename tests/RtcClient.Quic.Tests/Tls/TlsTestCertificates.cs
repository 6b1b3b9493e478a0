using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Quic.Tests.Tls;

/// <summary>Self-signed server certificates generated for the tests (cached: RSA key generation is slow).</summary>
internal static class TlsTestCertificates
{
    private static readonly Lazy<X509Certificate2> EcdsaP256 = new(() => Create(ECDsa.Create(ECCurve.NamedCurves.nistP256)));
    private static readonly Lazy<X509Certificate2> Rsa2048 = new(() => Create(RSA.Create(2048)));

    public static X509Certificate2 Ecdsa => EcdsaP256.Value;
    public static X509Certificate2 Rsa => Rsa2048.Value;

    public static X509Certificate2 Get(string kind) => kind == "rsa" ? Rsa : Ecdsa;

    public static X509Certificate2 Create(AsymmetricAlgorithm key, string dnsName = "localhost", DateTimeOffset? notAfter = null)
    {
        var subject = new X500DistinguishedName("CN=" + dnsName);
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key type", nameof(key)),
        };
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), notAfter ?? now.AddDays(10));
    }
}
