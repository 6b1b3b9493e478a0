using System.Text.RegularExpressions;
using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Tests.Tls;

/// <summary>SSLKEYLOGFILE output (NSS key log format).</summary>
public partial class TlsKeyLogTests
{
    [GeneratedRegex("^(CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0) ([0-9a-f]{64}) ([0-9a-f]{64}|[0-9a-f]{96})$")]
    private static partial Regex LinePattern();

    private static readonly string[] Labels =
        ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"];

    [TestCase(RtcClient.Quic.Tls.TlsCipherSuite.Aes128GcmSha256)]
    [TestCase(RtcClient.Quic.Tls.TlsCipherSuite.Aes256GcmSha384)]
    public void Both_sides_log_the_four_secrets(RtcClient.Quic.Tls.TlsCipherSuite suite)
    {
        var cert = TlsTestCertificates.Ecdsa;
        using var clientLog = new StringWriter();
        using var serverLog = new StringWriter();
        var (client, server) = TlsHandshakeTests.Create(
            TlsHandshakeTests.ClientOptions(cert, b => { b.KeyLog = clientLog; b.CipherSuites = [suite]; }),
            TlsHandshakeTests.ServerOptions(cert, keyLog: serverLog));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server);

        var text = clientLog.ToString();
        Assert.That(text, Does.EndWith("\n"));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(4));
        var parsed = lines.Select(l => LinePattern().Match(l)).ToArray();
        Assert.That(parsed.All(m => m.Success), Is.True, text);
        Assert.That(parsed.Select(m => m.Groups[1].Value), Is.EquivalentTo(Labels));
        Assert.That(parsed.Select(m => m.Groups[2].Value).Distinct().Count(), Is.EqualTo(1), "one client random");

        var bySecret = parsed.ToDictionary(m => m.Groups[1].Value, m => Convert.FromHexString(m.Groups[3].Value));
        Assert.Multiple(() =>
        {
            Assert.That(bySecret["CLIENT_HANDSHAKE_TRAFFIC_SECRET"], Is.EqualTo(client.WriteSecrets[EncryptionLevel.Handshake]));
            Assert.That(bySecret["SERVER_HANDSHAKE_TRAFFIC_SECRET"], Is.EqualTo(client.ReadSecrets[EncryptionLevel.Handshake]));
            Assert.That(bySecret["CLIENT_TRAFFIC_SECRET_0"], Is.EqualTo(client.WriteSecrets[EncryptionLevel.Application]));
            Assert.That(bySecret["SERVER_TRAFFIC_SECRET_0"], Is.EqualTo(client.ReadSecrets[EncryptionLevel.Application]));
        });
        Assert.That(serverLog.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(lines), "server logs the same lines");
    }

    [Test]
    public void Key_log_file_collects_lines_from_several_handshakes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"keylog-{Guid.NewGuid():n}.txt");
        try
        {
            var cert = TlsTestCertificates.Ecdsa;
            using (var file = new StreamWriter(path, append: true))
            {
                for (int i = 0; i < 2; i++)
                {
                    var (client, server) = TlsHandshakeTests.Create(
                        TlsHandshakeTests.ClientOptions(cert, b => b.KeyLog = file),
                        TlsHandshakeTests.ServerOptions(cert));
                    client.Handshake.Start();
                    TlsTestPeer.Pump(client, server);
                }
            }
            var lines = File.ReadAllLines(path);
            Assert.That(lines, Has.Length.EqualTo(8));
            Assert.That(lines.All(l => LinePattern().IsMatch(l)), Is.True);
            Assert.That(lines.Select(l => l.Split(' ')[1]).Distinct().Count(), Is.EqualTo(2), "two client randoms");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
