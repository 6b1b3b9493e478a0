using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Tls;

/// <summary>The client side of <see cref="TlsHandshake"/> (RFC 8446 section 2, figure 1, without PSK).</summary>
internal sealed partial class TlsHandshake
{
    private TlsClientOptions? _clientOptions;
    private ClientState _clientState;
    private byte[]? _certificateRequestContext;

    private enum ClientState
    {
        Idle,
        WaitServerHello,
        WaitEncryptedExtensions,
        WaitCertificateOrRequest,
        WaitCertificate,
        WaitCertificateVerify,
        WaitFinished,
        Connected,
    }

    private void StartClient()
    {
        if (_clientState != ClientState.Idle) throw new InvalidOperationException("the handshake was already started");
        _clientRandom = RandomNumberGenerator.GetBytes(32);
        _keyShare = TlsKeyShare.Generate(_clientOptions!.SupportedGroups[0]);
        Send(EncryptionLevel.Initial, BuildClientHello(cookie: null).Encode());
        _clientState = ClientState.WaitServerHello;
    }

    private TlsClientHello BuildClientHello(byte[]? cookie)
    {
        var o = _clientOptions!;
        return new TlsClientHello
        {
            Random = _clientRandom,
            CipherSuites = [.. o.CipherSuites.Select(s => (ushort)s)],
            // RFC 6066 section 3: literal IP addresses are not sent as host_name.
            ServerName = IPAddress.TryParse(o.ServerName, out _) || o.ServerName.Length == 0 ? null : o.ServerName,
            SupportedVersions = [Tls13],
            SupportedGroups = [.. o.SupportedGroups.Select(g => (ushort)g)],
            SignatureAlgorithms = TlsCertificateVerify.VerifiableSchemes,
            KeyShares = [((ushort)_keyShare!.Group, _keyShare.PublicKey)],
            ApplicationProtocols = o.ApplicationProtocols,
            Cookie = cookie,
            TransportParameters = _localTransportParameters,
        };
    }

    private bool IsExpectedByClient(TlsHandshakeType type) => _clientState switch
    {
        ClientState.WaitServerHello => type == TlsHandshakeType.ServerHello,
        ClientState.WaitEncryptedExtensions => type == TlsHandshakeType.EncryptedExtensions,
        ClientState.WaitCertificateOrRequest => type is TlsHandshakeType.Certificate or TlsHandshakeType.CertificateRequest,
        ClientState.WaitCertificate => type == TlsHandshakeType.Certificate,
        ClientState.WaitCertificateVerify => type == TlsHandshakeType.CertificateVerify,
        ClientState.WaitFinished => type == TlsHandshakeType.Finished,
        ClientState.Connected => type == TlsHandshakeType.NewSessionTicket,
        _ => false,
    };

    private void HandleClientMessage(TlsHandshakeType type, ReadOnlySpan<byte> body, byte[] message)
    {
        switch (_clientState, type)
        {
            case (ClientState.WaitServerHello, TlsHandshakeType.ServerHello):
                OnServerHello(body, message);
                break;
            case (ClientState.WaitEncryptedExtensions, TlsHandshakeType.EncryptedExtensions):
                OnEncryptedExtensions(body, message);
                break;
            case (ClientState.WaitCertificateOrRequest, TlsHandshakeType.CertificateRequest):
                OnCertificateRequest(body, message);
                break;
            case (ClientState.WaitCertificateOrRequest or ClientState.WaitCertificate, TlsHandshakeType.Certificate):
                OnCertificate(body, message);
                break;
            case (ClientState.WaitCertificateVerify, TlsHandshakeType.CertificateVerify):
                var transcriptHash = TranscriptHash();
                TlsCertificateVerify.Verify(body, PeerCertificate!, server: true, transcriptHash);
                AddToTranscript(message);
                _clientState = ClientState.WaitFinished;
                break;
            case (ClientState.WaitFinished, TlsHandshakeType.Finished):
                OnServerFinished(body, message);
                break;
            case (ClientState.Connected, TlsHandshakeType.NewSessionTicket):
                break; // no resumption support: tickets are ignored
            default:
                throw new TlsAlertException(TlsAlert.UnexpectedMessage, $"unexpected {type} in client state {_clientState}");
        }
    }

    private void OnServerHello(ReadOnlySpan<byte> body, byte[] message)
    {
        var sh = TlsServerHello.Parse(body);
        if (sh.SelectedVersion is null)
            throw new TlsAlertException(TlsAlert.ProtocolVersion, "server did not select TLS 1.3");
        if (sh.SelectedVersion != Tls13)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "server selected a version that was not offered");
        if (sh.LegacySessionIdEcho.Length != 0)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "legacy_session_id_echo differs from the empty session id sent");
        var suite = (TlsCipherSuite)sh.CipherSuite;
        if (!_clientOptions!.CipherSuites.Contains(suite))
            throw new TlsAlertException(TlsAlert.IllegalParameter, "server selected a cipher suite that was not offered");
        if (_helloRetry && suite != CipherSuite)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "ServerHello cipher suite differs from the HelloRetryRequest's");

        if (sh.IsHelloRetryRequest)
        {
            OnHelloRetryRequest(sh, suite, message);
            return;
        }

        if (sh.KeyShareGroup is null || sh.KeyExchange is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "ServerHello has no key_share");
        if (sh.KeyShareGroup != (ushort)_keyShare!.Group)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "server key_share group differs from the one offered");

        SelectSuite(suite);
        NegotiatedGroup = _keyShare.Group;
        AddToTranscript(message);
        InstallHandshakeSecrets(_keyShare.DeriveSharedSecret(sh.KeyExchange));
        _keyShare.Dispose();
        _readLevel = EncryptionLevel.Handshake;
        _clientState = ClientState.WaitEncryptedExtensions;
    }

    private void OnHelloRetryRequest(TlsServerHello hrr, TlsCipherSuite suite, byte[] message)
    {
        if (_helloRetry) throw new TlsAlertException(TlsAlert.UnexpectedMessage, "second HelloRetryRequest");
        if (hrr.KeyShareGroup is null && hrr.Cookie is null)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "HelloRetryRequest would not change the ClientHello");
        if (hrr.KeyShareGroup is ushort group)
        {
            if (group == (ushort)_keyShare!.Group || !_clientOptions!.SupportedGroups.Contains((TlsNamedGroup)group))
                throw new TlsAlertException(TlsAlert.IllegalParameter, "HelloRetryRequest selected an unusable group");
            _keyShare.Dispose();
            _keyShare = TlsKeyShare.Generate((TlsNamedGroup)group);
        }

        _helloRetry = true;
        SelectSuite(suite);
        ReplaceTranscriptWithMessageHash();
        AddToTranscript(message);
        Send(EncryptionLevel.Initial, BuildClientHello(hrr.Cookie).Encode());
    }

    private void OnEncryptedExtensions(ReadOnlySpan<byte> body, byte[] message)
    {
        var ee = TlsEncryptedExtensions.Parse(body);
        if (ee.ApplicationProtocol is null)
            throw new TlsAlertException(TlsAlert.NoApplicationProtocol, "server selected no ALPN protocol");
        if (!_clientOptions!.ApplicationProtocols.Contains(ee.ApplicationProtocol))
            throw new TlsAlertException(TlsAlert.IllegalParameter, "server selected an ALPN protocol that was not offered");
        if (ee.TransportParameters is null)
            throw new TlsAlertException(TlsAlert.MissingExtension, "server sent no quic_transport_parameters");
        NegotiatedApplicationProtocol = ee.ApplicationProtocol;
        _peerTransportParameters = ee.TransportParameters;
        AddToTranscript(message);
        _clientState = ClientState.WaitCertificateOrRequest;
    }

    /// <summary>Client authentication is not supported: remember the context to answer with an empty Certificate.</summary>
    private void OnCertificateRequest(ReadOnlySpan<byte> body, byte[] message)
    {
        var r = new TlsReader(body);
        var context = r.ReadVector8().ToArray();
        var extensions = TlsExtensionBlock.Parse(r.ReadVector16());
        r.EnsureEnd("CertificateRequest");
        if (context.Length != 0)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "certificate_request_context must be empty during the handshake");
        if (!extensions.ContainsKey(TlsExtensionType.SignatureAlgorithms))
            throw new TlsAlertException(TlsAlert.MissingExtension, "CertificateRequest without signature_algorithms");
        _certificateRequestContext = context;
        AddToTranscript(message);
        _clientState = ClientState.WaitCertificate;
    }

    private void OnCertificate(ReadOnlySpan<byte> body, byte[] message)
    {
        var certificate = TlsCertificateMessage.Parse(body);
        if (certificate.RequestContext.Length != 0)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "server Certificate has a request context");
        if (certificate.Certificates.Count == 0)
            throw new TlsAlertException(TlsAlert.DecodeError, "server sent an empty Certificate");

        var parsed = new List<X509Certificate2>();
        try
        {
            foreach (var der in certificate.Certificates)
                parsed.Add(X509CertificateLoader.LoadCertificate(der));
        }
        catch (CryptographicException e)
        {
            foreach (var c in parsed) c.Dispose();
            throw new TlsAlertException(TlsAlert.BadCertificate, "server certificate is not valid X.509", e);
        }

        try
        {
            TlsCertificateValidation.Validate(_clientOptions!, parsed[0], parsed[1..], DateTime.UtcNow);
        }
        catch
        {
            parsed[0].Dispose();
            throw;
        }
        finally
        {
            foreach (var intermediate in parsed.Skip(1)) intermediate.Dispose();
        }
        PeerCertificate = parsed[0];
        AddToTranscript(message);
        _clientState = ClientState.WaitCertificateVerify;
    }

    private void OnServerFinished(ReadOnlySpan<byte> body, byte[] message)
    {
        VerifyFinished(body, _serverHandshakeSecret);
        AddToTranscript(message);
        var (clientSecret, serverSecret) = DeriveApplicationSecrets();
        InstallReadSecret(EncryptionLevel.Application, serverSecret);

        if (_certificateRequestContext is not null)
            Send(EncryptionLevel.Handshake, new TlsCertificateMessage { RequestContext = _certificateRequestContext }.Encode());
        Send(EncryptionLevel.Handshake, EncodeFinished(_schedule!.VerifyData(_clientHandshakeSecret, TranscriptHash())));
        InstallWriteSecret(EncryptionLevel.Application, clientSecret);

        IsHandshakeComplete = true;
        _readLevel = EncryptionLevel.Application;
        _clientState = ClientState.Connected;
    }
}
