using System.Security.Cryptography;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tls;
using static RtcClient.Quic.Tests.Tls.TlsHandshakeTests;

namespace RtcClient.Quic.Tests.Tls;

/// <summary>Handshakes that must fail with a specific TLS alert, never another exception.</summary>
public class TlsHandshakeFailureTests
{
    private static TlsAlertException Fails(TlsTestPeer client, TlsTestPeer server)
    {
        client.Handshake.Start();
        return Assert.Throws<TlsAlertException>(() => TlsTestPeer.Pump(client, server))!;
    }

    [Test]
    public void Wrong_pinned_hash_is_bad_certificate()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => { b.TrustedRoots = null; b.Pins = [new byte[32]]; }), ServerOptions(cert));
        var e = Fails(client, server);
        Assert.That(e.Alert, Is.EqualTo(TlsAlert.BadCertificate));
        Assert.That(e.QuicErrorCode, Is.EqualTo(0x100 + 42));
        Assert.That(client.Handshake.IsHandshakeComplete, Is.False);
        Assert.That(client.WriteSecrets.ContainsKey(EncryptionLevel.Application), Is.False);
    }

    [Test]
    public void Wrong_host_name_is_bad_certificate()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => b.ServerName = "other.example"), ServerOptions(cert));
        Assert.That(Fails(client, server).Alert, Is.EqualTo(TlsAlert.BadCertificate));
    }

    [Test]
    public void Ip_address_server_name_matches_the_ip_subject_alternative_name()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => b.ServerName = "127.0.0.1"), ServerOptions(cert));
        client.Handshake.Start();
        TlsTestPeer.Pump(client, server);
        Assert.That(client.Handshake.IsHandshakeComplete, Is.True);
        Assert.That(server.Handshake.RequestedServerName, Is.Null, "no SNI for IP literals");
    }

    [Test]
    public void Untrusted_self_signed_certificate_with_default_validation_is_unknown_ca()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => b.TrustedRoots = null), ServerOptions(cert));
        Assert.That(Fails(client, server).Alert, Is.EqualTo(TlsAlert.UnknownCa));
    }

    [Test]
    public void Expired_certificate_is_certificate_expired()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = TlsTestCertificates.Create(key, notAfter: DateTimeOffset.UtcNow.AddHours(-1));
        var (client, server) = Create(ClientOptions(cert), ServerOptions(cert));
        Assert.That(Fails(client, server).Alert, Is.EqualTo(TlsAlert.CertificateExpired));
    }

    [Test]
    public void Validator_callback_returning_false_is_bad_certificate()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => b.Validator = (_, _) => false), ServerOptions(cert));
        Assert.That(Fails(client, server).Alert, Is.EqualTo(TlsAlert.BadCertificate));
    }

    [Test]
    public void Validator_callback_throwing_is_bad_certificate()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => b.Validator = (_, _) => throw new InvalidOperationException("boom")), ServerOptions(cert));
        Assert.That(Fails(client, server).Alert, Is.EqualTo(TlsAlert.BadCertificate));
    }

    [Test]
    public void No_common_alpn_is_no_application_protocol()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => b.Alpn = ["dgram-echo"]), ServerOptions(cert));
        var e = Fails(client, server);
        Assert.That(e.Alert, Is.EqualTo(0x78));
        Assert.That(e.QuicErrorCode, Is.EqualTo(0x178));
    }

    [Test]
    public void No_common_group_is_handshake_failure()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => b.SupportedGroups = [TlsNamedGroup.X25519]), ServerOptions(cert, groups: [TlsNamedGroup.Secp256r1]));
        Assert.That(Fails(client, server).Alert, Is.EqualTo(TlsAlert.HandshakeFailure));
    }

    [Test]
    public void No_common_cipher_suite_is_handshake_failure()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var serverOptions = new TlsServerOptions { Certificate = cert, ApplicationProtocols = ["h3"], CipherSuites = [TlsCipherSuite.Aes256GcmSha384] };
        var (client, server) = Create(ClientOptions(cert, b => b.CipherSuites = [TlsCipherSuite.Aes128GcmSha256]), serverOptions);
        Assert.That(Fails(client, server).Alert, Is.EqualTo(TlsAlert.HandshakeFailure));
    }

    [Test]
    public void Client_hello_without_transport_parameters_is_missing_extension()
    {
        var server = NewServer();
        var ch = ValidClientHello(includeTransportParameters: false).Encode();
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, ch));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.MissingExtension));
    }

    [Test]
    public void Client_hello_with_a_session_id_is_rejected()
    {
        var server = NewServer();
        var hello = ValidClientHello();
        var ch = new TlsClientHello
        {
            Random = hello.Random, LegacySessionId = new byte[32], CipherSuites = hello.CipherSuites, ServerName = hello.ServerName,
            SupportedVersions = hello.SupportedVersions, SupportedGroups = hello.SupportedGroups, SignatureAlgorithms = hello.SignatureAlgorithms,
            KeyShares = hello.KeyShares, ApplicationProtocols = hello.ApplicationProtocols, TransportParameters = hello.TransportParameters,
        }.Encode();
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, ch));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.IllegalParameter));
    }

    [Test]
    public void Truncated_client_hello_is_decode_error()
    {
        var server = NewServer();
        var ch = ValidClientHello().Encode();
        // Cut the body short and fix the header length so the framing is consistent but the structure is not.
        var cut = ch[..^3];
        int len = cut.Length - 4;
        cut[1] = (byte)(len >> 16); cut[2] = (byte)(len >> 8); cut[3] = (byte)len;
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, cut));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.DecodeError));
    }

    [Test]
    public void Client_hello_with_trailing_bytes_is_decode_error()
    {
        var server = NewServer();
        byte[] ch = [.. ValidClientHello().Encode(), 0];
        int len = ch.Length - 4;
        ch[1] = (byte)(len >> 16); ch[2] = (byte)(len >> 8); ch[3] = (byte)len;
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, ch));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.DecodeError));
    }

    [Test]
    public void Oversized_message_header_is_refused_before_buffering()
    {
        var server = NewServer();
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, [1, 0x01, 0x00, 0x01]));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.IllegalParameter));
    }

    [Test]
    public void Wrong_message_type_is_unexpected_message()
    {
        var server = NewServer();
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, [20, 0, 0, 32, .. new byte[32]]));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.UnexpectedMessage));
        // The handshake stays failed.
        Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, ValidClientHello().Encode()));
    }

    [Test]
    public void Change_cipher_spec_is_rejected()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, _) = Create(ClientOptions(cert), ServerOptions(cert));
        client.Handshake.Start();
        // A TLS ChangeCipherSpec record as a middlebox-compatibility peer would send it.
        var e = Assert.Throws<TlsAlertException>(() => client.Handshake.ProcessCryptoData(EncryptionLevel.Initial, [0x14, 0x03, 0x03, 0x00, 0x01, 0x01]));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.UnexpectedMessage));
    }

    [Test]
    public void Data_at_the_wrong_level_is_unexpected_message()
    {
        var server = NewServer();
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Handshake, ValidClientHello().Encode()));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.UnexpectedMessage));
    }

    [Test]
    public void Data_past_a_key_change_is_unexpected_message()
    {
        var server = NewServer();
        byte[] data = [.. ValidClientHello().Encode(), 20];
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, data));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.UnexpectedMessage));
    }

    /// <summary>Runs ClientHello to the server, then feeds the server flight to the client through <paramref name="rewrite"/>.</summary>
    private static (TlsAlertException Alert, TlsTestPeer Client) FailsOnServerFlight(Func<byte[], byte[][]> rewrite)
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert), ServerOptions(cert));
        client.Handshake.Start();
        var ch = client.Outgoing.Dequeue();
        server.Handshake.ProcessCryptoData(ch.Level, ch.Data);
        var e = Assert.Throws<TlsAlertException>(() =>
        {
            while (server.Outgoing.TryDequeue(out var m))
                foreach (var data in rewrite(m.Data)) client.Handshake.ProcessCryptoData(m.Level, data);
        });
        return (e!, client);
    }

    [TestCase((byte)TlsHandshakeType.Finished, TlsAlert.DecryptError)]
    [TestCase((byte)TlsHandshakeType.CertificateVerify, TlsAlert.DecryptError)]
    public void Tampered_server_message_fails(byte messageType, byte alert)
    {
        var (e, _) = FailsOnServerFlight(data =>
        {
            if (data[0] == messageType) data[^1] ^= 0x01;
            return [data];
        });
        Assert.That(e.Alert, Is.EqualTo(alert));
    }

    [Test]
    public void Tampered_client_finished_is_decrypt_error()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert), ServerOptions(cert));
        client.Handshake.Start();
        var ch = client.Outgoing.Dequeue();
        server.Handshake.ProcessCryptoData(ch.Level, ch.Data);
        while (server.Outgoing.TryDequeue(out var m)) client.Handshake.ProcessCryptoData(m.Level, m.Data);
        var fin = client.Outgoing.Dequeue();
        fin.Data[10] ^= 0x80;
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(fin.Level, fin.Data));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.DecryptError));
        Assert.That(server.ReadSecrets.ContainsKey(EncryptionLevel.Application), Is.False);
    }

    [Test]
    public void Server_hello_selecting_an_unoffered_suite_is_illegal_parameter()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, server) = Create(ClientOptions(cert, b => b.CipherSuites = [TlsCipherSuite.Aes128GcmSha256]), ServerOptions(cert));
        client.Handshake.Start();
        var sh = new TlsServerHello { Random = new byte[32], CipherSuite = 0x1302, SelectedVersion = 0x0304, KeyShareGroup = 0x1d, KeyExchange = new byte[32] }.Encode();
        var e = Assert.Throws<TlsAlertException>(() => client.Handshake.ProcessCryptoData(EncryptionLevel.Initial, sh));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.IllegalParameter));
    }

    [Test]
    public void Server_hello_with_an_invalid_point_is_illegal_parameter()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, _) = Create(ClientOptions(cert, b => b.SupportedGroups = [TlsNamedGroup.Secp256r1]), ServerOptions(cert));
        client.Handshake.Start();
        byte[] point = [4, .. Enumerable.Repeat((byte)0x11, 64)];
        var sh = new TlsServerHello { Random = new byte[32], CipherSuite = 0x1301, SelectedVersion = 0x0304, KeyShareGroup = 0x17, KeyExchange = point }.Encode();
        var e = Assert.Throws<TlsAlertException>(() => client.Handshake.ProcessCryptoData(EncryptionLevel.Initial, sh));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.IllegalParameter));
    }

    private static readonly object[] BadEncryptedExtensions =
    [
        new object?[] { "h3", null, TlsAlert.MissingExtension },
        new object?[] { null, new byte[] { 1, 1, 1 }, TlsAlert.NoApplicationProtocol },
        new object?[] { "h2", new byte[] { 1, 1, 1 }, TlsAlert.IllegalParameter },
    ];

    [TestCaseSource(nameof(BadEncryptedExtensions))]
    public void Client_checks_alpn_and_transport_parameters_in_encrypted_extensions(string? alpn, byte[]? transportParameters, byte alert)
    {
        var replacement = new TlsEncryptedExtensions { ApplicationProtocol = alpn, TransportParameters = transportParameters };
        var (e, client) = FailsOnServerFlight(data => [data[0] == (byte)TlsHandshakeType.EncryptedExtensions ? replacement.Encode() : data]);
        Assert.That(e.Alert, Is.EqualTo(alert));
        Assert.That(client.Handshake.NegotiatedApplicationProtocol, Is.Null);
    }

    [Test]
    public void Host_exceptions_pass_through_unchanged()
    {
        var server = NewServer();
        var refusal = new RtcClient.Quic.Wire.QuicProtocolException(RtcClient.Quic.Wire.TransportErrorCode.InternalError, "crypto buffer full");
        server.FailWrites = refusal;
        var thrown = Assert.Throws<RtcClient.Quic.Wire.QuicProtocolException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, ValidClientHello().Encode()));
        Assert.That(thrown, Is.SameAs(refusal));
        // The handshake is dead afterwards.
        Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, [1]));
    }

    [Test]
    public void X25519_low_order_point_is_illegal_parameter()
    {
        using var share = TlsKeyShare.Generate(TlsNamedGroup.X25519);
        var e = Assert.Throws<TlsAlertException>(() => share.DeriveSharedSecret(new byte[32]));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.IllegalParameter));
    }

    [Test]
    public void Certificate_request_is_answered_with_an_empty_certificate_only_when_well_formed()
    {
        byte[] sigAlgs = [0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03];
        byte[] validRequest = [13, 0, 0, (byte)(3 + sigAlgs.Length), 0, 0, (byte)sigAlgs.Length, .. sigAlgs];
        byte[] withContext = [13, 0, 0, (byte)(4 + sigAlgs.Length), 1, 9, 0, (byte)sigAlgs.Length, .. sigAlgs];
        byte[] withoutSignatureAlgorithms = [13, 0, 0, 3, 0, 0, 0];

        foreach (var (request, alert) in new[] { (withContext, TlsAlert.IllegalParameter), (withoutSignatureAlgorithms, TlsAlert.MissingExtension), (validRequest, TlsAlert.DecryptError) })
        {
            // Insert the request after EncryptedExtensions.
            var (e, _) = FailsOnServerFlight(data => data[0] == (byte)TlsHandshakeType.EncryptedExtensions ? [data, request] : [data]);
            // A well-formed request is accepted; the handshake then fails only because this server's
            // CertificateVerify did not cover the injected message.
            Assert.That(e.Alert, Is.EqualTo(alert));
        }
    }

    [Test]
    public void Server_hello_without_supported_versions_is_protocol_version()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client, _) = Create(ClientOptions(cert), ServerOptions(cert));
        client.Handshake.Start();
        // A TLS 1.2 style ServerHello: no extensions at all.
        byte[] body = [0x03, 0x03, .. new byte[32], 0, 0x13, 0x01, 0, 0, 0];
        byte[] sh = [2, 0, 0, (byte)body.Length, .. body];
        var e = Assert.Throws<TlsAlertException>(() => client.Handshake.ProcessCryptoData(EncryptionLevel.Initial, sh));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.ProtocolVersion));
    }

    [Test]
    public void Second_client_hello_without_the_cookie_is_illegal_parameter()
    {
        var server = TlsHandshakeFailureTests.NewServer([TlsNamedGroup.Secp256r1]);
        server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, ValidClientHello().Encode());
        var hrr = server.Outgoing.Dequeue();
        Assert.That(TlsServerHello.Parse(hrr.Data.AsSpan(4)).IsHelloRetryRequest, Is.True);
        using var share = TlsKeyShare.Generate(TlsNamedGroup.Secp256r1);
        var ch2 = ValidClientHello(keyShare: share).Encode();
        var e = Assert.Throws<TlsAlertException>(() => server.Handshake.ProcessCryptoData(EncryptionLevel.Initial, ch2));
        Assert.That(e!.Alert, Is.EqualTo(TlsAlert.IllegalParameter));
    }

    internal static TlsTestPeer NewServer(IReadOnlyList<TlsNamedGroup>? groups = null)
    {
        var server = new TlsTestPeer();
        server.Handshake = TlsHandshake.CreateServer(ServerOptions(TlsTestCertificates.Ecdsa, groups), ServerParameters, server);
        return server;
    }

    private static readonly byte[] DefaultX25519Key = Convert.FromHexString("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c");

    internal static TlsClientHello ValidClientHello(byte[]? transportParameters = null, TlsKeyShare? keyShare = null, bool includeTransportParameters = true)
    {
        return new TlsClientHello
        {
            Random = new byte[32],
            CipherSuites = [0x1301, 0x1302, 0x1303],
            ServerName = "localhost",
            SupportedVersions = [0x0304],
            SupportedGroups = [0x1d, 0x17],
            SignatureAlgorithms = TlsCertificateVerify.VerifiableSchemes,
            KeyShares = [keyShare is null ? ((ushort)TlsNamedGroup.X25519, DefaultX25519Key) : ((ushort)keyShare.Group, keyShare.PublicKey)],
            ApplicationProtocols = ["h3"],
            TransportParameters = includeTransportParameters ? transportParameters ?? ClientParameters : null,
        };
    }
}
