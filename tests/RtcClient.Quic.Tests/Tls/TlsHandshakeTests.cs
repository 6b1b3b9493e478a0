using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tls;

namespace RtcClient.Quic.Tests.Tls;

/// <summary>In-memory client and server handshakes wired through fake hosts.</summary>
public class TlsHandshakeTests
{
    internal static readonly byte[] ClientParameters = [0x01, 0x02, 0x42, 0x00];
    internal static readonly byte[] ServerParameters = [0x03, 0x02, 0x45, 0xC0, 0x0F, 0x00];

    internal static TlsClientOptions ClientOptions(X509Certificate2 serverCertificate, Action<TlsClientOptionsBuilder>? configure = null)
    {
        var b = new TlsClientOptionsBuilder { TrustedRoots = [serverCertificate] };
        configure?.Invoke(b);
        return b.Build();
    }

    internal static TlsServerOptions ServerOptions(X509Certificate2 certificate, IReadOnlyList<TlsNamedGroup>? groups = null, IReadOnlyList<string>? alpn = null, TextWriter? keyLog = null) => new()
    {
        Certificate = certificate,
        ApplicationProtocols = alpn ?? ["h3", "hq-interop"],
        SupportedGroups = groups ?? [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1],
        KeyLog = keyLog,
    };

    internal static (TlsTestPeer Client, TlsTestPeer Server) Create(TlsClientOptions clientOptions, TlsServerOptions serverOptions)
    {
        var client = new TlsTestPeer();
        var server = new TlsTestPeer();
        client.Handshake = TlsHandshake.CreateClient(clientOptions, ClientParameters, client);
        server.Handshake = TlsHandshake.CreateServer(serverOptions, ServerParameters, server);
        return (client, server);
    }

    private static void AssertCompleted(TlsTestPeer client, TlsTestPeer server)
    {
        Assert.Multiple(() =>
        {
            Assert.That(client.Handshake.IsHandshakeComplete, Is.True, "client complete");
            Assert.That(server.Handshake.IsHandshakeComplete, Is.True, "server complete");
            foreach (var level in new[] { EncryptionLevel.Handshake, EncryptionLevel.Application })
            {
                Assert.That(client.WriteSecrets[level], Is.EqualTo(server.ReadSecrets[level]), $"client->server {level}");
                Assert.That(server.WriteSecrets[level], Is.EqualTo(client.ReadSecrets[level]), $"server->client {level}");
                Assert.That(client.WriteSecrets[level], Is.Not.EqualTo(client.ReadSecrets[level]), $"directions differ at {level}");
            }
            Assert.That(client.ReadSecrets.ContainsKey(EncryptionLevel.EarlyData), Is.False);
            Assert.That(client.Handshake.NegotiatedApplicationProtocol, Is.EqualTo("h3"));
            Assert.That(server.Handshake.NegotiatedApplicationProtocol, Is.EqualTo("h3"));
            Assert.That(client.Handshake.PeerTransportParameters.ToArray(), Is.EqualTo(ServerParameters));
            Assert.That(server.Handshake.PeerTransportParameters.ToArray(), Is.EqualTo(ClientParameters));
            Assert.That(client.Handshake.CipherSuite, Is.EqualTo(server.Handshake.CipherSuite));
            Assert.That(client.Handshake.NegotiatedGroup, Is.EqualTo(server.Handshake.NegotiatedGroup));
            Assert.That(server.Handshake.RequestedServerName, Is.EqualTo("localhost"));
        });
    }

    [Test]
    public void Completes_for_every_suite_group_and_certificate(
        [Values] TlsCipherSuite suite,
        [Values] TlsNamedGroup group,
        [Values("ecdsa", "rsa")] string certificate)
    {
        var cert = TlsTestCertificates.Get(certificate);
        var (client, server) = Create(
            ClientOptions(cert, b => { b.CipherSuites = [suite]; b.SupportedGroups = [group]; }),
            ServerOptions(cert));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server);

        AssertCompleted(client, server);
        Assert.Multiple(() =>
        {
            Assert.That(client.Handshake.CipherSuite, Is.EqualTo(suite));
            Assert.That(client.Handshake.NegotiatedGroup, Is.EqualTo(group));
            Assert.That(client.Handshake.UsedHelloRetryRequest, Is.False);
            Assert.That(client.Handshake.PeerCertificate!.RawData, Is.EqualTo(cert.RawData));
            int secretLength = suite == TlsCipherSuite.Aes256GcmSha384 ? 48 : 32;
            Assert.That(client.WriteSecrets[EncryptionLevel.Application], Has.Length.EqualTo(secretLength));
        });
    }

    [TestCase(1)]
    [TestCase(7)]
    public void Completes_with_bytes_delivered_in_small_pieces(int chunkSize)
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert), ServerOptions(cert));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server, chunkSize);
        AssertCompleted(client, server);
    }

    [TestCase(int.MaxValue)]
    [TestCase(1)]
    public void Hello_retry_request_when_the_server_does_not_accept_the_first_key_share(int chunkSize)
    {
        var cert = TlsTestCertificates.Rsa;
        var (client, server) = Create(
            ClientOptions(cert, b => b.SupportedGroups = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1]),
            ServerOptions(cert, groups: [TlsNamedGroup.Secp256r1]));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server, chunkSize);

        AssertCompleted(client, server);
        Assert.Multiple(() =>
        {
            Assert.That(client.Handshake.UsedHelloRetryRequest, Is.True);
            Assert.That(server.Handshake.UsedHelloRetryRequest, Is.True);
            Assert.That(client.Handshake.NegotiatedGroup, Is.EqualTo(TlsNamedGroup.Secp256r1));
            // ClientHello1, ClientHello2 at Initial; client Finished at Handshake.
            Assert.That(client.Events.Count(e => e == "data Initial"), Is.EqualTo(2));
        });
    }

    [Test]
    public void Hello_retry_request_with_sha384_suite()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(
            ClientOptions(cert, b => { b.CipherSuites = [TlsCipherSuite.Aes256GcmSha384]; b.SupportedGroups = [TlsNamedGroup.Secp256r1, TlsNamedGroup.X25519]; }),
            ServerOptions(cert, groups: [TlsNamedGroup.X25519]));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server);
        AssertCompleted(client, server);
        Assert.That(client.Handshake.UsedHelloRetryRequest, Is.True);
    }

    private static readonly string[] ClientAfterStart = ["data Initial"];
    private static readonly string[] ServerAfterClientHello =
    [
        "data Initial", "read Handshake", "write Handshake",
        "data Handshake", "data Handshake", "data Handshake", "data Handshake", "write Application",
    ];
    private static readonly string[] ClientAfterServerFlight =
    [
        "data Initial", "read Handshake", "write Handshake", "read Application", "data Handshake", "write Application",
    ];

    [Test]
    public void Secrets_are_handed_out_at_the_right_moments()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert), ServerOptions(cert));
        client.Handshake.Start();
        Assert.That(client.Events, Is.EqualTo(ClientAfterStart));

        var ch = client.Outgoing.Dequeue();
        server.Handshake.ProcessCryptoData(ch.Level, ch.Data);
        // ServerHello, handshake keys, the Handshake flight, then 1-RTT write keys (0.5-RTT); no 1-RTT read keys yet.
        Assert.That(server.Events, Is.EqualTo(ServerAfterClientHello));

        while (server.Outgoing.TryDequeue(out var m)) client.Handshake.ProcessCryptoData(m.Level, m.Data);
        Assert.That(client.Events, Is.EqualTo(ClientAfterServerFlight));
        Assert.That(client.Handshake.IsHandshakeComplete, Is.True);
        Assert.That(server.Handshake.IsHandshakeComplete, Is.False);

        var fin = client.Outgoing.Dequeue();
        Assert.That(fin.Level, Is.EqualTo(EncryptionLevel.Handshake));
        server.Handshake.ProcessCryptoData(fin.Level, fin.Data);
        Assert.That(server.Events[^1], Is.EqualTo("read Application"));
        Assert.That(server.Handshake.IsHandshakeComplete, Is.True);
    }

    [Test]
    public void Client_ignores_new_session_ticket_after_the_handshake()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert), ServerOptions(cert));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server);
        byte[] ticket = [4, 0, 0, 13, 0, 0, 0, 60, 1, 2, 3, 4, 0, 1, 9, 0, 0];
        Assert.DoesNotThrow(() => client.Handshake.ProcessCryptoData(EncryptionLevel.Application, ticket));
        var e = Assert.Throws<TlsAlertException>(() => client.Handshake.ProcessCryptoData(EncryptionLevel.Application, [24, 0, 0, 1, 0]));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.UnexpectedMessage), "KeyUpdate is forbidden in QUIC");
    }

    [Test]
    public void Pinned_certificate_hash_is_accepted_without_a_trusted_chain()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(
            ClientOptions(cert, b => { b.TrustedRoots = null; b.Pins = [SHA256.HashData(cert.RawData)]; b.ServerName = "not-the-name.example"; }),
            ServerOptions(cert));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server);
        Assert.That(client.Handshake.IsHandshakeComplete, Is.True);
    }

    [Test]
    public void Chain_through_an_intermediate_is_validated_against_the_trusted_root()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Test Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-2), now.AddDays(30));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Test Intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddDays(-1), now.AddDays(20), [1, 2, 3, 4]);

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leafPublic = leafRequest.Create(intermediatePublic.SubjectName, X509SignatureGenerator.CreateForECDsa(intermediateKey), now.AddDays(-1), now.AddDays(10), [5, 6, 7, 8]);
        using var leaf = leafPublic.CopyWithPrivateKey(leafKey);

        int chainLength = 0;
        var (client, server) = Create(
            ClientOptions(root, b => b.Validator = (_, chain) => { chainLength = chain!.ChainElements.Count; return true; }),
            new TlsServerOptions { Certificate = leaf, CertificateChain = [intermediatePublic], ApplicationProtocols = ["h3"] });
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server);
        Assert.That(client.Handshake.IsHandshakeComplete, Is.True);
        Assert.That(chainLength, Is.EqualTo(3), "leaf, intermediate, root");

        // Without the intermediate the chain cannot be built.
        var (client2, server2) = Create(ClientOptions(root), new TlsServerOptions { Certificate = leaf, ApplicationProtocols = ["h3"] });
        client2.Handshake.Start();
        var e = Assert.Throws<TlsAlertException>(() => TlsTestPeer.Pump(client2, server2));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.UnknownCa));
    }

    [Test]
    public void Validator_callback_sees_the_certificate_and_chain()
    {
        var cert = TlsTestCertificates.Ecdsa;
        X509Certificate2? seen = null;
        int chainLength = -1;
        var (client, server) = Create(
            ClientOptions(cert, b => b.Validator = (c, chain) => { seen = c; chainLength = chain?.ChainElements.Count ?? 0; return true; }),
            ServerOptions(cert));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server);
        Assert.That(client.Handshake.IsHandshakeComplete, Is.True);
        Assert.That(seen!.RawData, Is.EqualTo(cert.RawData));
        Assert.That(chainLength, Is.EqualTo(1));
    }
}

/// <summary>Mutable builder for the init-only client options used by tests.</summary>
internal sealed class TlsClientOptionsBuilder
{
    public string ServerName { get; set; } = "localhost";
    public IReadOnlyList<string> Alpn { get; set; } = ["h3"];
    public IReadOnlyList<byte[]> Pins { get; set; } = [];
    public X509Certificate2Collection? TrustedRoots { get; set; }
    public Func<X509Certificate2, X509Chain?, bool>? Validator { get; set; }
    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; set; } = [TlsCipherSuite.Aes128GcmSha256, TlsCipherSuite.Aes256GcmSha384, TlsCipherSuite.ChaCha20Poly1305Sha256];
    public IReadOnlyList<TlsNamedGroup> SupportedGroups { get; set; } = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1];
    public TextWriter? KeyLog { get; set; }

    public TlsClientOptions Build() => new()
    {
        ServerName = ServerName,
        ApplicationProtocols = Alpn,
        PinnedCertificateSha256 = Pins,
        TrustedRoots = TrustedRoots,
        CertificateValidator = Validator,
        CipherSuites = CipherSuites,
        SupportedGroups = SupportedGroups,
        KeyLog = KeyLog,
    };
}
