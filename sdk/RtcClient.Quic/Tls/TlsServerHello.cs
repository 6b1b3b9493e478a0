using System.Security.Cryptography;

namespace RtcClient.Quic.Tls;

/// <summary>
/// A ServerHello or HelloRetryRequest (RFC 8446 sections 4.1.3 and 4.1.4). A HelloRetryRequest is a
/// ServerHello whose random is SHA-256("HelloRetryRequest") and whose key_share names only a group.
/// </summary>
internal sealed class TlsServerHello
{
    /// <summary>The special random value that marks a HelloRetryRequest.</summary>
    public static ReadOnlySpan<byte> HelloRetryRequestRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    /// <summary>The 32-byte random (<see cref="HelloRetryRequestRandom"/> for a HelloRetryRequest).</summary>
    public byte[] Random { get; init; } = [];

    /// <summary>legacy_session_id_echo.</summary>
    public byte[] LegacySessionIdEcho { get; init; } = [];

    /// <summary>The selected cipher suite.</summary>
    public ushort CipherSuite { get; init; }

    /// <summary>selected_version from supported_versions, or null when absent.</summary>
    public ushort? SelectedVersion { get; init; }

    /// <summary>The key_share group (server_share.group, or selected_group in a HelloRetryRequest), or null.</summary>
    public ushort? KeyShareGroup { get; init; }

    /// <summary>server_share.key_exchange (ServerHello only).</summary>
    public byte[]? KeyExchange { get; init; }

    /// <summary>cookie (HelloRetryRequest only), or null.</summary>
    public byte[]? Cookie { get; init; }

    /// <summary>True when this is a HelloRetryRequest.</summary>
    public bool IsHelloRetryRequest => Random.AsSpan().SequenceEqual(HelloRetryRequestRandom);

    /// <summary>A fresh server random.</summary>
    public static byte[] NewRandom() => RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// Parses a ServerHello body. Extensions other than supported_versions, key_share and (in a
    /// HelloRetryRequest) cookie were not offered by this client and are unsupported_extension.
    /// </summary>
    public static TlsServerHello Parse(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        ushort legacyVersion = r.ReadUInt16();
        var random = r.ReadBytes(32).ToArray();
        var sessionId = r.ReadVector8();
        if (sessionId.Length > 32) throw new TlsAlertException(TlsAlert.DecodeError, "legacy_session_id_echo too long");
        ushort suite = r.ReadUInt16();
        byte compression = r.ReadUInt8();
        var extensions = TlsExtensionBlock.Parse(r.ReadVector16());
        r.EnsureEnd("ServerHello");
        if (legacyVersion != 0x0303) throw new TlsAlertException(TlsAlert.ProtocolVersion, "ServerHello legacy_version must be 0x0303");
        if (compression != 0) throw new TlsAlertException(TlsAlert.IllegalParameter, "ServerHello compression must be null");

        bool hrr = random.AsSpan().SequenceEqual(HelloRetryRequestRandom);
        ushort? version = null, group = null;
        byte[]? key = null, cookie = null;
        foreach (var (type, data) in extensions)
        {
            var x = new TlsReader(data);
            switch (type)
            {
                case TlsExtensionType.SupportedVersions:
                    version = x.ReadUInt16();
                    break;
                case TlsExtensionType.KeyShare:
                    group = x.ReadUInt16();
                    if (!hrr)
                    {
                        key = x.ReadVector16().ToArray();
                        if (key.Length == 0) throw new TlsAlertException(TlsAlert.DecodeError, "empty key_exchange");
                    }
                    break;
                case TlsExtensionType.Cookie when hrr:
                    cookie = TlsClientHello.ParseCookie(data);
                    x = default;
                    break;
                default:
                    throw new TlsAlertException(TlsAlert.UnsupportedExtension, $"unexpected extension {type} in ServerHello");
            }
            x.EnsureEnd("ServerHello extension");
        }

        return new TlsServerHello
        {
            Random = random,
            LegacySessionIdEcho = sessionId.ToArray(),
            CipherSuite = suite,
            SelectedVersion = version,
            KeyShareGroup = group,
            KeyExchange = key,
            Cookie = cookie,
        };
    }

    /// <summary>Writes the whole handshake message (header included).</summary>
    public byte[] Encode()
    {
        var w = new TlsWriter();
        w.WriteUInt8((byte)TlsHandshakeType.ServerHello);
        int body = w.BeginVector(3);
        w.WriteUInt16(0x0303);
        w.WriteBytes(Random);
        int sid = w.BeginVector(1);
        w.WriteBytes(LegacySessionIdEcho);
        w.EndVector(sid, 1);
        w.WriteUInt16(CipherSuite);
        w.WriteUInt8(0);
        int ext = w.BeginVector(2);
        if (KeyShareGroup is ushort g)
        {
            TlsExtensionBlock.Write(w, TlsExtensionType.KeyShare, x =>
            {
                x.WriteUInt16(g);
                if (KeyExchange is not null)
                {
                    int k = x.BeginVector(2);
                    x.WriteBytes(KeyExchange);
                    x.EndVector(k, 2);
                }
            });
        }
        // key_share before supported_versions: the order of the RFC 8448 traces.
        TlsExtensionBlock.Write(w, TlsExtensionType.SupportedVersions, x => x.WriteUInt16(SelectedVersion ?? 0x0304));
        if (Cookie is not null) TlsExtensionBlock.WriteCookie(w, Cookie);
        w.EndVector(ext, 2);
        w.EndVector(body, 3);
        return w.ToArray();
    }
}
