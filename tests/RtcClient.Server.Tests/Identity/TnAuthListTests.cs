using System.Security.Cryptography;
using RtcClient.Identity;

namespace RtcClient.Server.Tests.Identity;

public class TnAuthListTests
{
    [Test]
    public void DecodesAListEncodedByHandWithEveryAlternative()
    {
        var der = StirTestPki.EncodeTnAuthList((0, "1234", 1), (1, "12025550100", 100), (2, "441632960961", 1));
        var list = TnAuthList.Decode(der);
        Assert.Multiple(() =>
        {
            Assert.That(list.Entries, Is.EqualTo(new[]
            {
                TnAuthEntry.ServiceProviderCode("1234"), TnAuthEntry.Range("12025550100", 100), TnAuthEntry.One("441632960961"),
            }));
            Assert.That(list.ServiceProviderCodes.Single(), Is.EqualTo("1234"));
            Assert.That(list.Encode(), Is.EqualTo(der), "the SDK's encoding is the same DER");
        });
    }

    [TestCase("12025550100", true)]
    [TestCase("12025550199", true)]
    [TestCase("12025550200", false)]
    [TestCase("12025550099", false)]
    [TestCase("1202555010", false)]
    [TestCase("120255501000", false)]
    [TestCase("441632960961", true)]
    [TestCase("441632960962", false)]
    public void CoversNumbersInItsRangesAndSingleEntriesOnly(string number, bool covered)
    {
        var list = new TnAuthList([TnAuthEntry.ServiceProviderCode("1234"), TnAuthEntry.Range("12025550100", 100), TnAuthEntry.One("441632960961")]);
        Assert.That(list.Covers(number), Is.EqualTo(covered));
    }

    [Test]
    public void ACertificateCarriesItAsTheRfc8226Extension()
    {
        using var pki = new StirTestPki();
        var signer = pki.IssueCallerSigner();
        var list = TnAuthList.FromCertificate(signer);
        Assert.Multiple(() =>
        {
            Assert.That(list!.Entries.Single(), Is.EqualTo(TnAuthEntry.One(StirTestPki.CallerNumber)));
            Assert.That(TnAuthList.FromCertificate(pki.Intermediate), Is.Null);
            Assert.That(new TnAuthList([TnAuthEntry.One("1")]).ToExtension().Oid!.Value, Is.EqualTo("1.3.6.1.5.5.7.1.26"));
        });
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData(Array.Empty<byte>()).SetName("empty");
        yield return new TestCaseData(new byte[] { 0x30, 0x00 }).SetName("no entries");
        yield return new TestCaseData(new byte[] { 0x30, 0x05, 0xA2, 0x03, 0x16, 0x01 }).SetName("truncated");
        yield return new TestCaseData(StirTestPki.EncodeTnAuthList((3, "1", 1))).SetName("unknown alternative");
        yield return new TestCaseData(StirTestPki.EncodeTnAuthList((1, "1202", 1))).SetName("range of one");
        yield return new TestCaseData(StirTestPki.EncodeTnAuthList((2, "+12025550100", 1))).SetName("not canonical");
        yield return new TestCaseData(StirTestPki.EncodeTnAuthList((2, "1234567890123456", 1))).SetName("sixteen digits");
        yield return new TestCaseData(StirTestPki.EncodeTnAuthList((2, "1", 1)).Concat(new byte[] { 0x05, 0x00 }).ToArray()).SetName("trailing data");
    }

    [TestCaseSource(nameof(Malformed))]
    public void MalformedListsAreACryptographicException(byte[] der)
        => Assert.That(() => TnAuthList.Decode(der), Throws.InstanceOf<CryptographicException>());
}
