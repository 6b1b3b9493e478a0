using System.Text;
using Microsoft.IdentityModel.Tokens;
using RtcClient.Identity;
using RtcClient.Protocol;
using RtcClient.Server.Identity;

namespace RtcClient.Server.Tests.Identity;

[CancelAfter(30_000)]
public class StirVerifierTests : StirTestBase
{
    private const string Destination = Callee;

    private static StirVerifier Verifier() => new(new InMemoryStirCertificateResolver());

    private string Sign(StirSigningCredential credential, DateTimeOffset? at = null, string? destination = null, string origin = Caller)
        => PassportSigner.CreateIdentityHeader(credential, origin, [destination ?? Destination], at ?? DateTimeOffset.UtcNow);

    [Test]
    public async Task AValidAttestedIdentityPasses(CancellationToken cancellationToken)
    {
        var signer = Pki.IssueCallerSigner();
        var credential = Pki.Credential(signer);
        var result = await Verifier().VerifyAsync(Sign(credential), Destination, Pki.Policy(Pki.Resolver(signer)), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(VerificationStatus.Passed), result.Detail);
            Assert.That(result.IsVerified, Is.True);
            Assert.That(result.Attestation, Is.EqualTo("A"));
            Assert.That(result.Origin, Is.EqualTo(StirTestPki.CallerNumber));
            Assert.That(result.OrigId, Is.EqualTo(credential.OrigId));
            Assert.That(result.Error, Is.Null);
        });
    }

    [Test]
    public async Task TamperedClaimsAre438(CancellationToken cancellationToken)
    {
        var signer = Pki.IssueCallerSigner();
        string identity = Sign(Pki.Credential(signer));
        // Someone on the path re-targets the signed call to another number and keeps the signature.
        var parts = identity.Split('.', 3);
        string claims = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace(StirTestPki.CalleeNumber, "12025550198", StringComparison.Ordinal);
        string tampered = parts[0] + "." + Base64UrlEncoder.Encode(claims) + "." + parts[2];
        var result = await Verifier().VerifyAsync(tampered, "+12025550198", Pki.Policy(Pki.Resolver(signer)), cancellationToken);
        Assert.That((result.Status, result.Error), Is.EqualTo((VerificationStatus.Failed, (int?)438)), result.Detail);
        Assert.That(result.Detail, Does.Contain("signature"));
    }

    [TestCase(-120)]
    [TestCase(-61)]
    [TestCase(90)]
    public async Task AnIatOutsideSixtySecondsIs438(int seconds)
    {
        var signer = Pki.IssueCallerSigner();
        var result = await Verifier().VerifyAsync(Sign(Pki.Credential(signer), DateTimeOffset.UtcNow.AddSeconds(seconds)), Destination, Pki.Policy(Pki.Resolver(signer)), CancellationToken.None);
        Assert.That((result.Status, result.Error), Is.EqualTo((VerificationStatus.Failed, (int?)438)), result.Detail);
        Assert.That(result.Detail, Does.Contain("stale"));
    }

    [Test]
    public async Task AnIatWithinSixtySecondsPasses(CancellationToken cancellationToken)
    {
        var signer = Pki.IssueCallerSigner();
        var result = await Verifier().VerifyAsync(Sign(Pki.Credential(signer), DateTimeOffset.UtcNow.AddSeconds(-50)), Destination, Pki.Policy(Pki.Resolver(signer)), cancellationToken);
        Assert.That(result.Status, Is.EqualTo(VerificationStatus.Passed), result.Detail);
    }

    [Test]
    public async Task ADestOtherThanTheCalledDestinationIs438(CancellationToken cancellationToken)
    {
        var signer = Pki.IssueCallerSigner();
        var result = await Verifier().VerifyAsync(Sign(Pki.Credential(signer), destination: "+12025550142"), Destination, Pki.Policy(Pki.Resolver(signer)), cancellationToken);
        Assert.That((result.Status, result.Error), Is.EqualTo((VerificationStatus.Failed, (int?)438)), result.Detail);
        Assert.That(result.Detail, Does.Contain("dest"));
    }

    [Test]
    public async Task AnOrigTheTnAuthListDoesNotCoverIs438(CancellationToken cancellationToken)
    {
        var signer = Pki.IssueSigner(StirTestPki.EncodeTnAuthList((0, "1234", 1), (1, "12025550100", 50)));
        var credential = Pki.Credential(signer);
        var resolver = Pki.Resolver(signer);
        var inRange = await Verifier().VerifyAsync(Sign(credential, origin: "+12025550149"), Destination, Pki.Policy(resolver), cancellationToken);
        var outside = await Verifier().VerifyAsync(Sign(credential, origin: "+12025550150"), Destination, Pki.Policy(resolver), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(inRange.Status, Is.EqualTo(VerificationStatus.Passed), inRange.Detail);
            Assert.That((outside.Status, outside.Error), Is.EqualTo((VerificationStatus.Failed, (int?)438)), outside.Detail);
            Assert.That(outside.Detail, Does.Contain("does not cover orig"));
        });
        // A service provider code the trunk group trusts covers any number.
        var trusted = Pki.Policy(resolver);
        trusted = new StirVerificationOptions { Mode = trusted.Mode, TrustAnchors = trusted.TrustAnchors, CertificateResolver = resolver, TrustedServiceProviderCodes = ["1234"] };
        var bySpc = await Verifier().VerifyAsync(Sign(credential, origin: "+12025550150"), Destination, trusted, cancellationToken);
        Assert.That(bySpc.Status, Is.EqualTo(VerificationStatus.Passed), bySpc.Detail);
    }

    [Test]
    public async Task AChainToAnotherRootIs437(CancellationToken cancellationToken)
    {
        using var rogue = new StirTestPki("Rogue CA");
        var signer = rogue.IssueCallerSigner();
        var result = await Verifier().VerifyAsync(Sign(rogue.Credential(signer)), Destination, Pki.Policy(rogue.Resolver(signer)), cancellationToken);
        Assert.That((result.Status, result.Error), Is.EqualTo((VerificationStatus.Failed, (int?)437)), result.Detail);
        Assert.That(result.Detail, Does.Contain("not trusted"));
    }

    [Test]
    public async Task ACertificateWithoutTnAuthListOrWithAnotherCurveIs437(CancellationToken cancellationToken)
    {
        var bare = Pki.IssueSigner(null);
        var noList = await Verifier().VerifyAsync(Sign(Pki.Credential(bare)), Destination, Pki.Policy(Pki.Resolver(bare)), cancellationToken);
        // A P-256 PASSporT whose info points at a P-384 certificate.
        var p384 = Pki.IssueSigner(StirTestPki.EncodeTnAuthList((2, StirTestPki.CallerNumber, 1)), System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var wrongCurve = await Verifier().VerifyAsync(Sign(Pki.Credential(Pki.IssueCallerSigner())), Destination, Pki.Policy(Pki.Resolver(p384)), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That((noList.Error, noList.Detail), Is.EqualTo(((int?)437, "the certificate has no TNAuthList (RFC 8226)")));
            Assert.That((wrongCurve.Error, wrongCurve.Detail), Is.EqualTo(((int?)437, "the certificate's key is not ECDSA P-256")));
        });
    }

    [Test]
    public async Task AnotherKeyThanTheCertificatesIs438(CancellationToken cancellationToken)
    {
        var published = Pki.IssueCallerSigner();
        var result = await Verifier().VerifyAsync(Sign(Pki.Credential(Pki.IssueCallerSigner())), Destination, Pki.Policy(Pki.Resolver(published)), cancellationToken);
        Assert.That((result.Error, result.Detail), Is.EqualTo(((int?)438, "the PASSporT's signature does not verify")));
    }

    [Test]
    public async Task AnInfoUrlWithNoCertificateIs436(CancellationToken cancellationToken)
    {
        var result = await Verifier().VerifyAsync(Sign(Pki.Credential(Pki.IssueCallerSigner())), Destination, Pki.Policy(new InMemoryStirCertificateResolver()), cancellationToken);
        Assert.That((result.Status, result.Error), Is.EqualTo((VerificationStatus.Failed, (int?)436)), result.Detail);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public async Task NoIdentityIs428(string? identity)
    {
        var result = await Verifier().VerifyAsync(identity, Destination, Pki.Policy(new InMemoryStirCertificateResolver()), CancellationToken.None);
        Assert.That((result.Status, result.Error), Is.EqualTo((VerificationStatus.None, (int?)428)));
    }

    [TestCase("alg=RS256")]
    [TestCase("alg=none")]
    public async Task AnAlgorithmOtherThanEs256Is437(string alg)
    {
        var signer = Pki.IssueCallerSigner();
        string identity = Sign(Pki.Credential(signer)).Replace("alg=ES256", alg, StringComparison.Ordinal);
        var result = await Verifier().VerifyAsync(identity, Destination, Pki.Policy(Pki.Resolver(signer)), CancellationToken.None);
        Assert.That(result.Error, Is.EqualTo(437), result.Detail);
    }

    private static IEnumerable<TestCaseData> MalformedIdentities()
    {
        static string B64(string s) => Base64UrlEncoder.Encode(s);
        const string Good = "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"https://cert.example/stir/sp1.pem\"}";
        const string Info = ";info=<https://cert.example/stir/sp1.pem>;alg=ES256;ppt=shaken";
        string sig = B64("0123456789012345678901234567890123456789012345678901234567890123");
        string claims = B64("{\"attest\":\"A\",\"dest\":{\"tn\":[\"12025550199\"]},\"iat\":1,\"orig\":{\"tn\":\"12025550100\"},\"origid\":\"x\"}");
        yield return new TestCaseData("garbage", 438).SetName("not a header");
        yield return new TestCaseData("a.b.c" + Info, 438).SetName("not base64 JSON");
        yield return new TestCaseData("....." + Info, 438).SetName("dots only");
        yield return new TestCaseData(B64(Good) + "." + claims + "." + sig, 436).SetName("no info");
        yield return new TestCaseData(B64(Good) + "." + claims + "." + sig + ";info=<cert.pem>", 436).SetName("relative info");
        yield return new TestCaseData(B64(Good) + "." + claims + "." + sig + ";info=<https://cert.example/stir/sp1.pem>;ppt=div", 438).SetName("ppt div");
        yield return new TestCaseData(B64("[1,2]") + "." + claims + "." + sig + Info, 438).SetName("header is an array");
        yield return new TestCaseData(B64("{\"alg\":\"ES256\"") + "." + claims + "." + sig + Info, 438).SetName("header truncated");
        yield return new TestCaseData(B64(Good.Replace("passport", "JWT", StringComparison.Ordinal)) + "." + claims + "." + sig + Info, 438).SetName("typ JWT");
        yield return new TestCaseData(B64(Good.Replace("shaken", "div", StringComparison.Ordinal)) + "." + claims + "." + sig + Info, 438).SetName("ppt in JWS div");
        yield return new TestCaseData(B64(Good.Replace("sp1", "sp2", StringComparison.Ordinal)) + "." + claims + "." + sig + Info, 438).SetName("x5u differs from info");
        yield return new TestCaseData(B64(Good) + "." + B64("\"just a string\"") + "." + sig + Info, 438).SetName("claims not an object");
        yield return new TestCaseData(B64(Good) + "." + B64("{\"attest\":\"A\",\"dest\":{\"tn\":[\"1\"]},\"iat\":\"now\",\"orig\":{\"tn\":\"1\"},\"origid\":\"x\"}") + "." + sig + Info, 438).SetName("iat a string");
        yield return new TestCaseData(B64(Good) + "." + B64("{\"attest\":\"Z\",\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"},\"origid\":\"x\"}") + "." + sig + Info, 438).SetName("attest Z");
        yield return new TestCaseData(B64(Good) + "." + B64("{\"attest\":\"A\",\"dest\":{},\"iat\":1,\"orig\":{\"tn\":\"1\"},\"origid\":\"x\"}") + "." + sig + Info, 438).SetName("dest empty");
        yield return new TestCaseData(B64(Good) + "." + B64("{\"attest\":\"A\",\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"uri\":\"sip:a@b\"},\"origid\":\"x\"}") + "." + sig + Info, 438).SetName("orig without tn");
        yield return new TestCaseData(B64(Good) + "." + B64(new string('[', 5000)) + "." + sig + Info, 438).SetName("deeply nested");
        yield return new TestCaseData(B64(Good) + "." + claims + "." + sig + Info, 438).SetName("signature of nothing");
        yield return new TestCaseData(B64(Good) + "." + claims + "." + "%%%" + Info, 438).SetName("signature not base64url");
        yield return new TestCaseData(new string('x', 20_000), 438).SetName("huge");
    }

    [TestCaseSource(nameof(MalformedIdentities))]
    public async Task MalformedIdentitiesNeverThrowAndAre438Or436(string identity, int code)
    {
        var signer = Pki.IssueCallerSigner();
        var result = await Verifier().VerifyAsync(identity, Destination, Pki.Policy(Pki.Resolver(signer)), CancellationToken.None);
        Assert.That((result.Status, result.Error), Is.EqualTo((VerificationStatus.Failed, (int?)code)), result.Detail);
    }
}
