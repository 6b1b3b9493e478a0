using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Quic.Tls;

/// <summary>
/// CertificateVerify (RFC 8446 section 4.4.3): the signed content, scheme selection, signing with
/// the server's key and verification with the peer certificate's public key.
/// </summary>
internal static class TlsCertificateVerify
{
    private static ReadOnlySpan<byte> ServerContext => "TLS 1.3, server CertificateVerify"u8;
    private static ReadOnlySpan<byte> ClientContext => "TLS 1.3, client CertificateVerify"u8;

    /// <summary>The schemes this stack can verify, in the order a client offers them.</summary>
    public static readonly ushort[] VerifiableSchemes =
    [
        (ushort)TlsSignatureScheme.EcdsaSecp256r1Sha256,
        (ushort)TlsSignatureScheme.RsaPssRsaeSha256,
        (ushort)TlsSignatureScheme.EcdsaSecp384r1Sha384,
        (ushort)TlsSignatureScheme.RsaPssRsaeSha384,
        (ushort)TlsSignatureScheme.RsaPssRsaeSha512,
    ];

    /// <summary>64 spaces, the context string, a zero byte, then the transcript hash.</summary>
    public static byte[] SignedContent(bool server, ReadOnlySpan<byte> transcriptHash)
    {
        var context = server ? ServerContext : ClientContext;
        var content = new byte[64 + context.Length + 1 + transcriptHash.Length];
        content.AsSpan(0, 64).Fill(0x20);
        context.CopyTo(content.AsSpan(64));
        transcriptHash.CopyTo(content.AsSpan(64 + context.Length + 1));
        return content;
    }

    /// <summary>The scheme the server signs with for its key, given the client's signature_algorithms; null if none fits.</summary>
    public static ushort? ChooseScheme(AsymmetricAlgorithm key, IReadOnlyCollection<ushort> peerSchemes)
    {
        ushort[] candidates = key switch
        {
            ECDsa { KeySize: 256 } => [(ushort)TlsSignatureScheme.EcdsaSecp256r1Sha256],
            ECDsa { KeySize: 384 } => [(ushort)TlsSignatureScheme.EcdsaSecp384r1Sha384],
            RSA => [(ushort)TlsSignatureScheme.RsaPssRsaeSha256, (ushort)TlsSignatureScheme.RsaPssRsaeSha384, (ushort)TlsSignatureScheme.RsaPssRsaeSha512],
            _ => [],
        };
        foreach (var c in candidates)
            if (peerSchemes.Contains(c)) return c;
        return null;
    }

    /// <summary>Signs <paramref name="content"/> with <paramref name="key"/> under <paramref name="scheme"/>.</summary>
    public static byte[] Sign(AsymmetricAlgorithm key, ushort scheme, byte[] content) => key switch
    {
        ECDsa ecdsa => ecdsa.SignData(content, HashOf(scheme), DSASignatureFormat.Rfc3279DerSequence),
        RSA rsa => rsa.SignData(content, HashOf(scheme), RSASignaturePadding.Pss),
        _ => throw new InvalidOperationException("unsupported key type"),
    };

    /// <summary>Writes the whole handshake message (header included).</summary>
    public static byte[] Encode(ushort scheme, ReadOnlySpan<byte> signature)
    {
        var w = new TlsWriter();
        w.WriteUInt8((byte)TlsHandshakeType.CertificateVerify);
        int body = w.BeginVector(3);
        w.WriteUInt16(scheme);
        int sig = w.BeginVector(2);
        w.WriteBytes(signature);
        w.EndVector(sig, 2);
        w.EndVector(body, 3);
        return w.ToArray();
    }

    /// <summary>
    /// Parses a CertificateVerify body and checks the signature with the certificate's public key:
    /// a scheme not offered or not matching the key is illegal_parameter, a bad signature decrypt_error.
    /// </summary>
    public static void Verify(ReadOnlySpan<byte> body, X509Certificate2 certificate, bool server, ReadOnlySpan<byte> transcriptHash)
    {
        var r = new TlsReader(body);
        ushort scheme = r.ReadUInt16();
        var signature = r.ReadVector16();
        r.EnsureEnd("CertificateVerify");
        if (Array.IndexOf(VerifiableSchemes, scheme) < 0)
            throw new TlsAlertException(TlsAlert.IllegalParameter, $"signature scheme 0x{scheme:x4} was not offered");

        var content = SignedContent(server, transcriptHash);
        bool valid;
        try
        {
            valid = scheme switch
            {
                (ushort)TlsSignatureScheme.EcdsaSecp256r1Sha256 or (ushort)TlsSignatureScheme.EcdsaSecp384r1Sha384 => VerifyEcdsa(certificate, scheme, content, signature),
                _ => VerifyRsaPss(certificate, scheme, content, signature),
            };
        }
        catch (CryptographicException e)
        {
            throw new TlsAlertException(TlsAlert.DecryptError, "CertificateVerify signature check failed", e);
        }
        if (!valid) throw new TlsAlertException(TlsAlert.DecryptError, "CertificateVerify signature is invalid");
    }

    private static bool VerifyEcdsa(X509Certificate2 certificate, ushort scheme, byte[] content, ReadOnlySpan<byte> signature)
    {
        using var key = certificate.GetECDsaPublicKey()
            ?? throw new TlsAlertException(TlsAlert.IllegalParameter, "ECDSA scheme but the certificate key is not ECDSA");
        int expectedSize = scheme == (ushort)TlsSignatureScheme.EcdsaSecp256r1Sha256 ? 256 : 384;
        if (key.KeySize != expectedSize)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "ECDSA scheme does not match the certificate's curve");
        return key.VerifyData(content, signature, HashOf(scheme), DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool VerifyRsaPss(X509Certificate2 certificate, ushort scheme, byte[] content, ReadOnlySpan<byte> signature)
    {
        using var key = certificate.GetRSAPublicKey()
            ?? throw new TlsAlertException(TlsAlert.IllegalParameter, "RSA-PSS scheme but the certificate key is not RSA");
        return key.VerifyData(content, signature, HashOf(scheme), RSASignaturePadding.Pss);
    }

    private static HashAlgorithmName HashOf(ushort scheme) => scheme switch
    {
        (ushort)TlsSignatureScheme.EcdsaSecp384r1Sha384 or (ushort)TlsSignatureScheme.RsaPssRsaeSha384 => HashAlgorithmName.SHA384,
        (ushort)TlsSignatureScheme.RsaPssRsaeSha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
