using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Tls;

/// <summary>
/// A sans-IO TLS 1.3 handshake for QUIC (RFC 8446, RFC 9001 section 4). The connection feeds it the
/// in-order bytes of each level's CRYPTO stream; it answers through <see cref="ITlsHandshakeHost"/>
/// with handshake bytes and traffic secrets. Full (EC)DHE handshakes only: no PSK, no 0-RTT, no
/// session tickets (a client ignores NewSessionTicket), no middlebox compatibility mode. The server
/// never requests client certificates; a client asked for one answers with an empty Certificate.
/// Any failure, including hostile input, is a <see cref="TlsAlertException"/>; the handshake is dead after one.
/// Exceptions thrown by the host's callbacks pass through unchanged.
/// Partial messages are buffered up to 64 KiB per message (<see cref="TlsMessageFramer"/>).
/// A ClientHello with a legacy_session_id (middlebox compatibility, forbidden by RFC 9001 section 8.4)
/// is refused with illegal_parameter; a ChangeCipherSpec is not a handshake message and is unexpected_message.
/// </summary>
internal sealed partial class TlsHandshake : IDisposable
{
    private const ushort Tls13 = 0x0304;

    private readonly bool _isClient;
    private readonly ITlsHandshakeHost _host;
    private readonly byte[] _localTransportParameters;
    private readonly TlsMessageFramer _framer;
    private readonly MemoryStream _transcript = new();
    private readonly TextWriter? _keyLog;

    private EncryptionLevel? _readLevel = EncryptionLevel.Initial;
    private TlsKeySchedule? _schedule;
    private TlsKeyShare? _keyShare;
    private byte[] _clientRandom = [];
    private byte[] _clientHandshakeSecret = [];
    private byte[] _serverHandshakeSecret = [];
    private byte[] _peerTransportParameters = [];
    private TlsAlertException? _failure;
    private bool _helloRetry;

    private TlsHandshake(bool isClient, ReadOnlyMemory<byte> localTransportParameters, ITlsHandshakeHost host, TextWriter? keyLog)
    {
        _isClient = isClient;
        _host = host;
        _localTransportParameters = localTransportParameters.ToArray();
        _keyLog = keyLog;
        _framer = new TlsMessageFramer(IsExpected);
    }

    /// <summary>Client role. <paramref name="localTransportParameters"/> is the encoded quic_transport_parameters extension body.</summary>
    public static TlsHandshake CreateClient(TlsClientOptions options, ReadOnlyMemory<byte> localTransportParameters, ITlsHandshakeHost host)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        CheckCommonOptions(options.ApplicationProtocols, options.CipherSuites, options.SupportedGroups);
        return new TlsHandshake(true, localTransportParameters, host, options.KeyLog) { _clientOptions = options };
    }

    /// <summary>Server role.</summary>
    public static TlsHandshake CreateServer(TlsServerOptions options, ReadOnlyMemory<byte> localTransportParameters, ITlsHandshakeHost host)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        CheckCommonOptions(options.ApplicationProtocols, options.CipherSuites, options.SupportedGroups);
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)options.Certificate.GetECDsaPrivateKey() ?? options.Certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("the server certificate needs an ECDSA or RSA private key", nameof(options));
        if (TlsCertificateVerify.ChooseScheme(key, TlsCertificateVerify.VerifiableSchemes) is null)
        {
            key.Dispose();
            throw new ArgumentException("the server key must be RSA or ECDSA on P-256 or P-384", nameof(options));
        }
        return new TlsHandshake(false, localTransportParameters, host, options.KeyLog) { _serverOptions = options, _serverKey = key };
    }

    /// <summary>Configuration errors are the caller's bug: they throw ArgumentException at creation, not alerts later.</summary>
    private static void CheckCommonOptions(IReadOnlyList<string> alpn, IReadOnlyList<TlsCipherSuite> suites, IReadOnlyList<TlsNamedGroup> groups)
    {
        if (alpn.Count == 0 || alpn.Any(p => p.Length is 0 or > 255 || p.Any(c => c > 0xFF)))
            throw new ArgumentException("QUIC needs at least one ALPN protocol of 1 to 255 bytes", nameof(alpn));
        if (suites.Count == 0 || suites.Any(s => !Enum.IsDefined(s)))
            throw new ArgumentException("cipher suites must be non-empty and known", nameof(suites));
        if (groups.Count == 0 || groups.Any(g => !TlsKeyShare.IsSupported((ushort)g)))
            throw new ArgumentException("groups must be non-empty and supported", nameof(groups));
    }

    /// <summary>True once this side has sent and received Finished (RFC 9001 section 4.1.1).</summary>
    public bool IsHandshakeComplete { get; private set; }

    /// <summary>The peer's quic_transport_parameters extension body; empty until it has arrived.</summary>
    public ReadOnlyMemory<byte> PeerTransportParameters => _peerTransportParameters;

    /// <summary>The negotiated ALPN protocol, once known.</summary>
    public string? NegotiatedApplicationProtocol { get; private set; }

    /// <summary>The negotiated cipher suite, once known (0 before).</summary>
    public TlsCipherSuite CipherSuite { get; private set; }

    /// <summary>The key exchange group of the handshake, once known (0 before).</summary>
    public TlsNamedGroup NegotiatedGroup { get; private set; }

    /// <summary>True when a HelloRetryRequest was sent (server) or received (client).</summary>
    public bool UsedHelloRetryRequest => _helloRetry;

    /// <summary>The peer's end-entity certificate, if it sent one.</summary>
    public X509Certificate2? PeerCertificate { get; private set; }

    /// <summary>Server: the host_name the client sent in server_name (SNI), if any.</summary>
    public string? RequestedServerName { get; private set; }

    /// <summary>Client: writes the ClientHello (Initial level). Server: does nothing.</summary>
    public void Start()
    {
        if (!_isClient) return;
        Guard(StartClient);
    }

    /// <summary>
    /// Consumes the next contiguous bytes of the CRYPTO stream at <paramref name="level"/>; messages may
    /// be split across calls. Throws <see cref="TlsAlertException"/> on any failure.
    /// </summary>
    public void ProcessCryptoData(EncryptionLevel level, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_failure is not null) throw new TlsAlertException(_failure.Alert, "handshake already failed: " + _failure.Message);
        try
        {
            if (level != _readLevel)
                throw new TlsAlertException(TlsAlert.UnexpectedMessage, $"handshake data at {level} is not expected now");
            while (!data.IsEmpty)
            {
                var message = _framer.TryReadMessage(ref data);
                if (message is null) break;
                var before = _readLevel;
                HandleMessage(message);
                // RFC 8446 section 5.1 / RFC 9001 section 4.1.3: no message may straddle a key change.
                if (_readLevel != before && (!data.IsEmpty || _framer.HasPartialMessage))
                    throw new TlsAlertException(TlsAlert.UnexpectedMessage, "handshake data continues past a key change");
            }
        }
        catch (TlsAlertException e)
        {
            _failure = e;
            throw;
        }
        catch (HostCallbackException e)
        {
            _failure = new TlsAlertException(TlsAlert.InternalError, "the connection failed during the handshake", e.InnerException!);
            ExceptionDispatchInfo.Throw(e.InnerException!);
        }
        catch (Exception e)
        {
            _failure = new TlsAlertException(TlsAlert.InternalError, "handshake failed: " + e.Message, e);
            throw _failure;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _keyShare?.Dispose();
        _serverKey?.Dispose();
        _transcript.Dispose();
    }

    private void Guard(Action action)
    {
        if (_failure is not null) throw new TlsAlertException(_failure.Alert, "handshake already failed: " + _failure.Message);
        try
        {
            action();
        }
        catch (TlsAlertException e)
        {
            _failure = e;
            throw;
        }
        catch (HostCallbackException e)
        {
            _failure = new TlsAlertException(TlsAlert.InternalError, "the connection failed during the handshake", e.InnerException!);
            ExceptionDispatchInfo.Throw(e.InnerException!);
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            _failure = new TlsAlertException(TlsAlert.InternalError, "handshake failed: " + e.Message, e);
            throw _failure;
        }
    }

    private bool IsExpected(TlsHandshakeType type) => _isClient ? IsExpectedByClient(type) : IsExpectedByServer(type);

    private void HandleMessage(byte[] message)
    {
        var type = (TlsHandshakeType)message[0];
        var body = message.AsSpan(4);
        if (_isClient) HandleClientMessage(type, body, message);
        else HandleServerMessage(type, body, message);
    }

    private void AddToTranscript(ReadOnlySpan<byte> message) => _transcript.Write(message);

    private byte[] TranscriptHash() => _schedule!.TranscriptHash(_transcript.GetBuffer().AsSpan(0, (int)_transcript.Length));

    /// <summary>After a HelloRetryRequest: ClientHello1 is replaced by message_hash (RFC 8446 section 4.4.1).</summary>
    private void ReplaceTranscriptWithMessageHash()
    {
        var hash = TranscriptHash();
        _transcript.SetLength(0);
        _transcript.Write([(byte)TlsHandshakeType.MessageHash, 0, 0, (byte)hash.Length]);
        _transcript.Write(hash);
    }

    private void Send(EncryptionLevel level, byte[] message)
    {
        AddToTranscript(message);
        try
        {
            _host.WriteCryptoData(level, message);
        }
        catch (Exception e)
        {
            throw new HostCallbackException(e);
        }
    }

    private void InstallReadSecret(EncryptionLevel level, byte[] secret)
    {
        try
        {
            _host.SetReadSecret(level, CipherSuite, secret);
        }
        catch (Exception e)
        {
            throw new HostCallbackException(e);
        }
    }

    private void InstallWriteSecret(EncryptionLevel level, byte[] secret)
    {
        try
        {
            _host.SetWriteSecret(level, CipherSuite, secret);
        }
        catch (Exception e)
        {
            throw new HostCallbackException(e);
        }
    }

    /// <summary>Carries an exception thrown by the host out of the handshake unchanged (it is not a TLS failure).</summary>
    private sealed class HostCallbackException(Exception inner) : Exception(inner.Message, inner);

    private static byte[] EncodeFinished(ReadOnlySpan<byte> verifyData)
    {
        var w = new TlsWriter();
        w.WriteUInt8((byte)TlsHandshakeType.Finished);
        int body = w.BeginVector(3);
        w.WriteBytes(verifyData);
        w.EndVector(body, 3);
        return w.ToArray();
    }

    /// <summary>Checks a received Finished against HMAC(finished_key(secret), current transcript hash).</summary>
    private void VerifyFinished(ReadOnlySpan<byte> body, byte[] peerTrafficSecret)
    {
        var expected = _schedule!.VerifyData(peerTrafficSecret, TranscriptHash());
        if (body.Length != expected.Length)
            throw new TlsAlertException(TlsAlert.DecodeError, "Finished has the wrong length");
        if (!CryptographicOperations.FixedTimeEquals(body, expected))
            throw new TlsAlertException(TlsAlert.DecryptError, "Finished verify_data does not match");
    }

    private void SelectSuite(TlsCipherSuite suite)
    {
        CipherSuite = suite;
        _schedule ??= new TlsKeySchedule(TlsKeySchedule.HashOf(suite));
    }

    /// <summary>Derives the handshake traffic secrets and hands them to the host (and key log).</summary>
    private void InstallHandshakeSecrets(byte[] sharedSecret)
    {
        _schedule!.SetSharedSecret(sharedSecret);
        (_clientHandshakeSecret, _serverHandshakeSecret) = _schedule.HandshakeTrafficSecrets(TranscriptHash());
        TlsKeyLog.Write(_keyLog, TlsKeyLog.ClientHandshake, _clientRandom, _clientHandshakeSecret);
        TlsKeyLog.Write(_keyLog, TlsKeyLog.ServerHandshake, _clientRandom, _serverHandshakeSecret);
        var (read, write) = _isClient ? (_serverHandshakeSecret, _clientHandshakeSecret) : (_clientHandshakeSecret, _serverHandshakeSecret);
        InstallReadSecret(EncryptionLevel.Handshake, read);
        InstallWriteSecret(EncryptionLevel.Handshake, write);
    }

    /// <summary>Derives the master secret and application traffic secrets (transcript through server Finished).</summary>
    private (byte[] Client, byte[] Server) DeriveApplicationSecrets()
    {
        _schedule!.DeriveMasterSecret();
        var secrets = _schedule.ApplicationTrafficSecrets(TranscriptHash());
        TlsKeyLog.Write(_keyLog, TlsKeyLog.ClientTraffic0, _clientRandom, secrets.Client);
        TlsKeyLog.Write(_keyLog, TlsKeyLog.ServerTraffic0, _clientRandom, secrets.Server);
        return secrets;
    }
}
