using RtcClient.Identity;

namespace RtcClient.Server.Tests.Identity;

public class IdentityHeaderTests
{
    [Test]
    public void ParsesTheRfc8224FormAndWritesItBack()
    {
        const string Value = "eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln;info=<https://cert.example/a;b.pem>;alg=ES256;ppt=shaken";
        Assert.That(IdentityHeader.TryParse(Value, out var header), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(header!.Passport, Is.EqualTo("eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln"));
            Assert.That(header.Info, Is.EqualTo(new Uri("https://cert.example/a;b.pem")), "a ';' inside <...> belongs to the URI");
            Assert.That(header.Algorithm, Is.EqualTo("ES256"));
            Assert.That(header.PassportType, Is.EqualTo("shaken"));
            Assert.That(header.ToString(), Is.EqualTo(Value));
        });
    }

    [Test]
    public void ToleratesSpacesQuotedPptAndUnknownParameters()
    {
        Assert.That(IdentityHeader.TryParse(" a.b.c ; info = <https://x.example/c> ; foo ; ppt=\"shaken\" ; x=1 ", out var header), Is.True);
        Assert.That((header!.Info?.Host, header.PassportType, header.Algorithm), Is.EqualTo(("x.example", "shaken", (string?)null)));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("abc")]
    [TestCase("a.b")]
    [TestCase("a.b.c.d")]
    [TestCase("a.b.c!")]
    [TestCase("a.b.c;info=<https://x.example/")]
    [TestCase("a.b.c;info=<https://x.example/>junk")]
    [TestCase("a.b.c;;ppt=shaken")]
    [TestCase("a.b.c;=x")]
    public void RejectsWhatIsNotAnIdentityHeader(string value) => Assert.That(IdentityHeader.TryParse(value, out _), Is.False);

    [Test]
    public void RejectsValuesAboveTheLengthBound() => Assert.That(IdentityHeader.TryParse(new string('a', 9000) + ".b.c", out _), Is.False);

    [Test]
    public void AnInfoThatIsNotAnAbsoluteUriParsesAsNone()
    {
        Assert.That(IdentityHeader.TryParse("a.b.c;info=<not a uri>", out var header), Is.True);
        Assert.That(header!.Info, Is.Null);
    }
}
