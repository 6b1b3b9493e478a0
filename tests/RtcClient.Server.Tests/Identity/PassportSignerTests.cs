using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RtcClient.Identity;

namespace RtcClient.Server.Tests.Identity;

public class PassportSignerTests
{
    [Test]
    public async Task SignsACanonicalShakenPassportWithEs256()
    {
        using var pki = new StirTestPki();
        var signer = pki.IssueCallerSigner();
        var credential = new StirSigningCredential(signer, StirTestPki.Info) { Attestation = "B", OrigId = "de305d54-75b4-431b-adb2-eb6b9e546014" };
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        string identity = PassportSigner.CreateIdentityHeader(credential, "+1 (202) 555-0100", ["+1-202-555-0199", "bob"], issuedAt);

        Assert.That(IdentityHeader.TryParse(identity, out var header), Is.True);
        var parts = header!.Passport.Split('.');
        Assert.Multiple(() =>
        {
            Assert.That(identity, Does.EndWith(";info=<https://cert.example/stir/sp1.pem>;alg=ES256;ppt=shaken"));
            Assert.That(Decode(parts[0]), Is.EqualTo("{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"https://cert.example/stir/sp1.pem\"}"));
            Assert.That(Decode(parts[1]), Is.EqualTo(
                "{\"attest\":\"B\",\"dest\":{\"tn\":[\"12025550199\"],\"uri\":[\"bob\"]},\"iat\":1700000000,\"orig\":{\"tn\":\"12025550100\"},\"origid\":\"de305d54-75b4-431b-adb2-eb6b9e546014\"}"));
            Assert.That(Base64UrlEncoder.DecodeBytes(parts[2]), Has.Length.EqualTo(64), "ES256 signatures are r||s, 64 bytes");
        });
        using var publicKey = signer.GetECDsaPublicKey()!;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(header.Passport, new TokenValidationParameters
        {
            IssuerSigningKey = new ECDsaSecurityKey(publicKey), ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false,
        });
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
    }

    [Test]
    public void RefusesKeysThatAreNotP256AndOriginsThatAreNotNumbers()
    {
        using var pki = new StirTestPki();
        var p384 = pki.IssueSigner(StirTestPki.EncodeTnAuthList((2, StirTestPki.CallerNumber, 1)), System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        Assert.That(() => new StirSigningCredential(p384, StirTestPki.Info), Throws.ArgumentException);
        using var credential = new StirSigningCredential(pki.IssueCallerSigner(), StirTestPki.Info);
        Assert.That(() => PassportSigner.CreateIdentityHeader(credential, "alice", ["bob"], DateTimeOffset.UtcNow), Throws.ArgumentException);
        Assert.That(() => new StirSigningCredential(pki.IssueCallerSigner(), StirTestPki.Info) { Attestation = "D" }, Throws.ArgumentException);
    }

    private static string Decode(string part) => Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(part));
}
