using System.Security.Cryptography;
using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Tls;

/// <summary>The server side of <see cref="TlsHandshake"/> (RFC 8446 section 2, figures 1 and 2).</summary>
internal sealed partial class TlsHandshake
{
    private const int CookieLength = 32;

    private TlsServerOptions? _serverOptions;
    private AsymmetricAlgorithm? _serverKey;
    private ServerState _serverState;
    private byte[]? _cookie;
    private TlsNamedGroup _retryGroup;
    private byte[] _clientApplicationSecret = [];

    private enum ServerState
    {
        WaitClientHello,
        WaitFinished,
        Connected,
    }

    private bool IsExpectedByServer(TlsHandshakeType type) => _serverState switch
    {
        ServerState.WaitClientHello => type == TlsHandshakeType.ClientHello,
        ServerState.WaitFinished => type == TlsHandshakeType.Finished,
        _ => false,
    };

    private void HandleServerMessage(TlsHandshakeType type, ReadOnlySpan<byte> body, byte[] message)
    {
        switch (_serverState, type)
        {
            case (ServerState.WaitClientHello, TlsHandshakeType.ClientHello):
                OnClientHello(body, message);
                break;
            case (ServerState.WaitFinished, TlsHandshakeType.Finished):
                VerifyFinished(body, _clientHandshakeSecret);
                AddToTranscript(message);
                InstallReadSecret(EncryptionLevel.Application, _clientApplicationSecret);
                IsHandshakeComplete = true;
                _readLevel = null; // QUIC clients send no post-handshake messages (no KeyUpdate, no client auth)
                _serverState = ServerState.Connected;
                break;
            default:
                throw new TlsAlertException(TlsAlert.UnexpectedMessage, $"unexpected {type} in server state {_serverState}");
        }
    }

    private void OnClientHello(ReadOnlySpan<byte> body, byte[] message)
    {
        var o = _serverOptions!;
        var ch = TlsClientHello.Parse(body);
        if (ch.LegacySessionId.Length != 0)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "QUIC forbids a legacy_session_id (RFC 9001 section 8.4)");
        if (ch.SupportedVersions is null || Array.IndexOf(ch.SupportedVersions, Tls13) < 0)
            throw new TlsAlertException(TlsAlert.ProtocolVersion, "client does not offer TLS 1.3");

        TlsCipherSuite? suite = o.CipherSuites.Cast<TlsCipherSuite?>().FirstOrDefault(s => Array.IndexOf(ch.CipherSuites, (ushort)s!.Value) >= 0);
        if (suite is null) throw new TlsAlertException(TlsAlert.HandshakeFailure, "no common cipher suite");
        if (_helloRetry && suite != CipherSuite)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "second ClientHello changes the cipher suite choice");

        if (ch.TransportParameters is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "client sent no quic_transport_parameters");
        string alpn = o.ApplicationProtocols.FirstOrDefault(p => ch.ApplicationProtocols?.Contains(p) == true)
            ?? throw new TlsAlertException(TlsAlert.NoApplicationProtocol, "no common ALPN protocol");
        if (ch.SignatureAlgorithms is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "client sent no signature_algorithms");
        ushort scheme = TlsCertificateVerify.ChooseScheme(_serverKey!, ch.SignatureAlgorithms)
            ?? throw new TlsAlertException(TlsAlert.HandshakeFailure, "no signature scheme fits the server certificate");
        if (ch.SupportedGroups is null || ch.KeyShares is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "client sent no supported_groups or key_share");
        foreach (var (group, _) in ch.KeyShares)
            if (Array.IndexOf(ch.SupportedGroups, group) < 0)
                throw new TlsAlertException(TlsAlert.IllegalParameter, "key_share for a group not in supported_groups");

        var share = o.SupportedGroups.Select(g => ch.KeyShares.FirstOrDefault(k => k.Group == (ushort)g)).FirstOrDefault(k => k.KeyExchange is not null);
        if (_helloRetry)
        {
            if (ch.Cookie is null || !CryptographicOperations.FixedTimeEquals(ch.Cookie, _cookie))
                throw new TlsAlertException(TlsAlert.IllegalParameter, "second ClientHello does not echo the cookie");
            if (ch.KeyShares.Count != 1 || share.Group != (ushort)_retryGroup)
                throw new TlsAlertException(TlsAlert.IllegalParameter, "second ClientHello lacks the requested key share");
        }
        else if (ch.Cookie is not null)
        {
            throw new TlsAlertException(TlsAlert.IllegalParameter, "cookie in a first ClientHello");
        }

        SelectSuite(suite.Value);
        if (share.KeyExchange is null)
        {
            var group = o.SupportedGroups.Cast<TlsNamedGroup?>().FirstOrDefault(g => Array.IndexOf(ch.SupportedGroups, (ushort)g!.Value) >= 0)
                ?? throw new TlsAlertException(TlsAlert.HandshakeFailure, "no common key exchange group");
            SendHelloRetryRequest(group, message);
            return;
        }

        RequestedServerName = ch.ServerName;
        NegotiatedApplicationProtocol = alpn;
        _peerTransportParameters = ch.TransportParameters;
        _clientRandom = ch.Random;
        NegotiatedGroup = (TlsNamedGroup)share.Group;
        AddToTranscript(message);
        SendServerFlight(share.KeyExchange, scheme);
    }

    /// <summary>Asks for a key share in <paramref name="group"/>, with a cookie the client must echo.</summary>
    private void SendHelloRetryRequest(TlsNamedGroup group, byte[] clientHello1)
    {
        _helloRetry = true;
        _retryGroup = group;
        _cookie = RandomNumberGenerator.GetBytes(CookieLength);
        AddToTranscript(clientHello1);
        ReplaceTranscriptWithMessageHash();
        var hrr = new TlsServerHello
        {
            Random = TlsServerHello.HelloRetryRequestRandom.ToArray(),
            CipherSuite = (ushort)CipherSuite,
            SelectedVersion = Tls13,
            KeyShareGroup = (ushort)group,
            Cookie = _cookie,
        };
        Send(EncryptionLevel.Initial, hrr.Encode());
    }

    /// <summary>ServerHello at Initial, then EncryptedExtensions, Certificate, CertificateVerify and Finished at Handshake.</summary>
    private void SendServerFlight(byte[] clientKeyExchange, ushort scheme)
    {
        _keyShare = TlsKeyShare.Generate(NegotiatedGroup);
        var sharedSecret = _keyShare.DeriveSharedSecret(clientKeyExchange);
        var sh = new TlsServerHello
        {
            Random = TlsServerHello.NewRandom(),
            CipherSuite = (ushort)CipherSuite,
            SelectedVersion = Tls13,
            KeyShareGroup = (ushort)NegotiatedGroup,
            KeyExchange = _keyShare.PublicKey,
        };
        Send(EncryptionLevel.Initial, sh.Encode());
        InstallHandshakeSecrets(sharedSecret);
        _readLevel = EncryptionLevel.Handshake;

        var o = _serverOptions!;
        Send(EncryptionLevel.Handshake, new TlsEncryptedExtensions
        {
            ApplicationProtocol = NegotiatedApplicationProtocol,
            TransportParameters = _localTransportParameters,
        }.Encode());
        Send(EncryptionLevel.Handshake, new TlsCertificateMessage
        {
            Certificates = [o.Certificate.RawData, .. o.CertificateChain.Select(c => c.RawData)],
        }.Encode());
        var content = TlsCertificateVerify.SignedContent(server: true, TranscriptHash());
        Send(EncryptionLevel.Handshake, TlsCertificateVerify.Encode(scheme, TlsCertificateVerify.Sign(_serverKey!, scheme, content)));
        Send(EncryptionLevel.Handshake, EncodeFinished(_schedule!.VerifyData(_serverHandshakeSecret, TranscriptHash())));

        var (clientSecret, serverSecret) = DeriveApplicationSecrets();
        _clientApplicationSecret = clientSecret;
        InstallWriteSecret(EncryptionLevel.Application, serverSecret);
        _serverState = ServerState.WaitFinished;
    }
}
