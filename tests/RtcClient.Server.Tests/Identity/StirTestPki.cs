using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Identity;
using RtcClient.Server.Identity;

namespace RtcClient.Server.Tests.Identity;

/// <summary>
/// A STIR PKI made in the test: a root, an intermediate, and signing certificates with a TNAuthList
/// extension encoded here with AsnWriter (independently of the SDK's encoder).
/// </summary>
internal sealed class StirTestPki : IDisposable
{
    public const string CallerNumber = "12025550100";
    public const string CalleeNumber = "12025550199";
    public static readonly Uri Info = new("https://cert.example/stir/sp1.pem");

    private readonly List<IDisposable> _owned = [];

    public StirTestPki(string name = "Test STI-CA")
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = CaRequest("CN=" + name + " Root", rootKey);
        var now = DateTimeOffset.UtcNow;
        Root = Own(rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1)));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = CaRequest("CN=" + name + " Intermediate", intermediateKey);
        using var issued = intermediateRequest.Create(Root, now.AddDays(-1), now.AddMonths(6), [1]);
        Intermediate = Own(issued.CopyWithPrivateKey(intermediateKey));
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    /// <summary>TNEntry alternatives as the RFC 8226 module tags them (explicit tags 0, 1, 2).</summary>
    public static byte[] EncodeTnAuthList(params (int Tag, string Value, long Count)[] entries)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (tag, value, count) in entries)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, tag, isConstructed: true)))
                {
                    if (tag == 1)
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteCharacterString(UniversalTagNumber.IA5String, value);
                            writer.WriteInteger(count);
                        }
                    }
                    else
                    {
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, value);
                    }
                }
            }
        }
        return writer.Encode();
    }

    /// <summary>A signing certificate (with its private key) issued by the intermediate; null list = no TNAuthList.</summary>
    public X509Certificate2 IssueSigner(byte[]? tnAuthList, ECCurve? curve = null, string subject = "CN=SHAKEN SP1")
    {
        using var key = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (tnAuthList is not null)
            request.CertificateExtensions.Add(new X509Extension(TnAuthList.Oid, tnAuthList, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Intermediate, now.AddHours(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(8));
        return Own(issued.CopyWithPrivateKey(key));
    }

    /// <summary>The usual signer: covers the caller's number alone.</summary>
    public X509Certificate2 IssueCallerSigner() => IssueSigner(EncodeTnAuthList((2, CallerNumber, 1)));

    /// <summary>A resolver that serves <paramref name="signer"/> and the intermediate at <see cref="Info"/>.</summary>
    public InMemoryStirCertificateResolver Resolver(X509Certificate2 signer)
    {
        var resolver = new InMemoryStirCertificateResolver();
        resolver.Add(Info, signer, Intermediate);
        return resolver;
    }

    /// <summary>Required verification trusting this PKI's root.</summary>
    public StirVerificationOptions Policy(IStirCertificateResolver resolver, StirVerificationMode mode = StirVerificationMode.Required)
        => new() { Mode = mode, TrustAnchors = [Root], CertificateResolver = resolver };

    public StirSigningCredential Credential(X509Certificate2 signer) => Own(new StirSigningCredential(signer, Info));

    /// <summary>The PEM chain a SHAKEN certificate repository serves: signer, then intermediate.</summary>
    public string PemChain(X509Certificate2 signer) => signer.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n";

    public void Dispose()
    {
        foreach (var d in _owned)
            d.Dispose();
    }

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
