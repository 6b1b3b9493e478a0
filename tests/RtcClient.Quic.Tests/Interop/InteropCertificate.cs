using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic.Tests.Tls;

namespace RtcClient.Quic.Tests.Interop;

/// <summary>The ECDSA P-256 test certificate written as PEM files for peers started as processes.</summary>
internal sealed class InteropCertificate
{
    public required X509Certificate2 Certificate { get; init; }
    public required string CertificatePath { get; init; }
    public required string KeyPath { get; init; }

    public byte[] Sha256 => SHA256.HashData(Certificate.RawData);

    public static InteropCertificate WriteTo(string directory)
    {
        var cert = TlsTestCertificates.Ecdsa;
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "priv.key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        using var key = cert.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new InteropCertificate { Certificate = cert, CertificatePath = certPath, KeyPath = keyPath };
    }
}
