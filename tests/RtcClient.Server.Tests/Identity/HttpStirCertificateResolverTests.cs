using RtcClient.Identity;
using RtcClient.Protocol;
using RtcClient.Server.Identity;

namespace RtcClient.Server.Tests.Identity;

[CancelAfter(60_000)]
public class HttpStirCertificateResolverTests : StirTestBase
{
    [Test]
    public async Task TheHttpsResolverFetchesOnceAndRefusesOversizedOrNonCertificateResponses()
    {
        var signer = Pki.IssueCallerSigner();
        await using var repository = await CertificateHttpsHost.StartAsync(new Dictionary<string, string>
        {
            ["sp1.pem"] = Pki.PemChain(signer),
            ["big.pem"] = Pki.PemChain(signer) + new string('#', 40_000),
            ["text.pem"] = "hello",
        });
        using var resolver = new HttpStirCertificateResolver(new HttpStirCertificateResolverOptions { Handler = repository.TrustingHandler() });
        var verifier = new StirVerifier(resolver);
        var policy = Pki.Policy(resolver);
        var credentials = new List<StirSigningCredential>();
        string Sign(string file)
        {
            var credential = new StirSigningCredential(signer, new Uri(repository.BaseUri, file));
            credentials.Add(credential);
            return PassportSigner.CreateIdentityHeader(credential, Caller, [Callee], DateTimeOffset.UtcNow);
        }

        var first = await verifier.VerifyAsync(Sign("sp1.pem"), Callee, policy, CancellationToken.None);
        var second = await verifier.VerifyAsync(Sign("sp1.pem"), Callee, policy, CancellationToken.None);
        var big = await verifier.VerifyAsync(Sign("big.pem"), Callee, policy, CancellationToken.None);
        var text = await verifier.VerifyAsync(Sign("text.pem"), Callee, policy, CancellationToken.None);
        var missing = await verifier.VerifyAsync(Sign("none.pem"), Callee, policy, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(VerificationStatus.Passed), first.Detail);
            Assert.That(second.Status, Is.EqualTo(VerificationStatus.Passed), second.Detail);
            Assert.That(repository.Hits("sp1.pem"), Is.EqualTo(1), "the chain is cached");
            Assert.That(big.Error, Is.EqualTo(436));
            Assert.That(big.Detail, Does.Contain("larger than"));
            Assert.That(text.Error, Is.EqualTo(436), text.Detail);
            Assert.That(missing.Error, Is.EqualTo(436), missing.Detail);
            Assert.That(resolver.Fetches, Is.EqualTo(4));
        });
        credentials.ForEach(c => c.Dispose());
    }

    [TestCase("http://cert.example/sp1.pem")]
    [TestCase("ftp://cert.example/sp1.pem")]
    [TestCase("https://10.0.0.1/sp1.pem")]
    public void OnlyAllowedHttpsUrisAreFetched(string uri)
    {
        using var resolver = new HttpStirCertificateResolver(new HttpStirCertificateResolverOptions { AllowUri = u => u.Host == "cert.example" });
        var refused = Assert.ThrowsAsync<StirCertificateException>(async () => await resolver.ResolveAsync(new Uri(uri), CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain(uri.StartsWith("https", StringComparison.Ordinal) ? "not an allowed" : "not an https URI"));
        Assert.That(resolver.Fetches, Is.Zero);
    }
}
