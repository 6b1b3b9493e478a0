using System.Text;

namespace RtcClient.Quic.Tls;

/// <summary>
/// A ClientHello (RFC 8446 section 4.1.2) restricted to what TLS 1.3 over QUIC uses: no session id
/// (RFC 9001 section 8.4), no PSK, no early data. Parsed by the server, written by the client.
/// </summary>
internal sealed class TlsClientHello
{
    /// <summary>The 32-byte random.</summary>
    public byte[] Random { get; init; } = [];

    /// <summary>legacy_session_id; QUIC requires it empty.</summary>
    public byte[] LegacySessionId { get; init; } = [];

    /// <summary>cipher_suites in client preference order.</summary>
    public ushort[] CipherSuites { get; init; } = [];

    /// <summary>host_name from server_name, if present.</summary>
    public string? ServerName { get; init; }

    /// <summary>supported_groups, or null when absent.</summary>
    public ushort[]? SupportedGroups { get; init; }

    /// <summary>signature_algorithms, or null when absent.</summary>
    public ushort[]? SignatureAlgorithms { get; init; }

    /// <summary>supported_versions, or null when absent.</summary>
    public ushort[]? SupportedVersions { get; init; }

    /// <summary>ALPN protocol names, or null when absent.</summary>
    public IReadOnlyList<string>? ApplicationProtocols { get; init; }

    /// <summary>key_share client_shares (group, key_exchange), or null when absent.</summary>
    public IReadOnlyList<(ushort Group, byte[] KeyExchange)>? KeyShares { get; init; }

    /// <summary>cookie echoed from a HelloRetryRequest, or null.</summary>
    public byte[]? Cookie { get; init; }

    /// <summary>quic_transport_parameters body, or null when absent.</summary>
    public byte[]? TransportParameters { get; init; }

    /// <summary>Parses the body of a ClientHello (after the 4-byte handshake header).</summary>
    public static TlsClientHello Parse(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        r.ReadUInt16(); // legacy_version: ignored, supported_versions decides (section 4.2.1)
        var random = r.ReadBytes(32).ToArray();
        var sessionId = r.ReadVector8();
        if (sessionId.Length > 32) throw new TlsAlertException(TlsAlert.DecodeError, "legacy_session_id too long");
        var suites = r.ReadVector16();
        if (suites.IsEmpty || suites.Length % 2 != 0) throw new TlsAlertException(TlsAlert.DecodeError, "malformed cipher_suites");
        var compression = r.ReadVector8();
        if (compression.Length != 1 || compression[0] != 0)
            throw new TlsAlertException(TlsAlert.IllegalParameter, "legacy_compression_methods must be exactly [null]");
        var extensions = TlsExtensionBlock.Parse(r.ReadVector16());
        r.EnsureEnd("ClientHello");

        var suiteList = new ushort[suites.Length / 2];
        for (int i = 0; i < suiteList.Length; i++) suiteList[i] = (ushort)(suites[2 * i] << 8 | suites[2 * i + 1]);

        return new TlsClientHello
        {
            Random = random,
            LegacySessionId = sessionId.ToArray(),
            CipherSuites = suiteList,
            ServerName = extensions.TryGetValue(TlsExtensionType.ServerName, out var sni) ? ParseServerName(sni) : null,
            SupportedGroups = extensions.TryGetValue(TlsExtensionType.SupportedGroups, out var g) ? TlsExtensionBlock.ReadUInt16List(g, "supported_groups") : null,
            SignatureAlgorithms = extensions.TryGetValue(TlsExtensionType.SignatureAlgorithms, out var s) ? TlsExtensionBlock.ReadUInt16List(s, "signature_algorithms") : null,
            SupportedVersions = extensions.TryGetValue(TlsExtensionType.SupportedVersions, out var v) ? ParseSupportedVersions(v) : null,
            ApplicationProtocols = extensions.TryGetValue(TlsExtensionType.ApplicationLayerProtocolNegotiation, out var a) ? TlsExtensionBlock.ReadProtocolNameList(a) : null,
            KeyShares = extensions.TryGetValue(TlsExtensionType.KeyShare, out var k) ? ParseKeyShares(k) : null,
            Cookie = extensions.TryGetValue(TlsExtensionType.Cookie, out var c) ? ParseCookie(c) : null,
            TransportParameters = extensions.GetValueOrDefault(TlsExtensionType.QuicTransportParameters),
        };
    }

    /// <summary>Writes the whole handshake message (header included).</summary>
    public byte[] Encode()
    {
        var w = new TlsWriter();
        w.WriteUInt8((byte)TlsHandshakeType.ClientHello);
        int body = w.BeginVector(3);
        w.WriteUInt16(0x0303);
        w.WriteBytes(Random);
        int sid = w.BeginVector(1);
        w.WriteBytes(LegacySessionId);
        w.EndVector(sid, 1);
        TlsExtensionBlock.WriteUInt16List(w, CipherSuites);
        w.WriteUInt8(1);
        w.WriteUInt8(0);
        int ext = w.BeginVector(2);
        if (ServerName is not null)
        {
            TlsExtensionBlock.Write(w, TlsExtensionType.ServerName, x =>
            {
                int list = x.BeginVector(2);
                x.WriteUInt8(0); // host_name
                int name = x.BeginVector(2);
                x.WriteBytes(Encoding.ASCII.GetBytes(ServerName));
                x.EndVector(name, 2);
                x.EndVector(list, 2);
            });
        }
        if (SupportedVersions is not null)
        {
            TlsExtensionBlock.Write(w, TlsExtensionType.SupportedVersions, x =>
            {
                int list = x.BeginVector(1);
                foreach (var version in SupportedVersions) x.WriteUInt16(version);
                x.EndVector(list, 1);
            });
        }
        if (SupportedGroups is not null)
            TlsExtensionBlock.Write(w, TlsExtensionType.SupportedGroups, x => TlsExtensionBlock.WriteUInt16List(x, SupportedGroups));
        if (SignatureAlgorithms is not null)
            TlsExtensionBlock.Write(w, TlsExtensionType.SignatureAlgorithms, x => TlsExtensionBlock.WriteUInt16List(x, SignatureAlgorithms));
        if (KeyShares is not null)
        {
            TlsExtensionBlock.Write(w, TlsExtensionType.KeyShare, x =>
            {
                int list = x.BeginVector(2);
                foreach (var (group, key) in KeyShares)
                {
                    x.WriteUInt16(group);
                    int k = x.BeginVector(2);
                    x.WriteBytes(key);
                    x.EndVector(k, 2);
                }
                x.EndVector(list, 2);
            });
        }
        if (ApplicationProtocols is not null)
            TlsExtensionBlock.Write(w, TlsExtensionType.ApplicationLayerProtocolNegotiation, x => TlsExtensionBlock.WriteProtocolNameList(x, ApplicationProtocols));
        if (Cookie is not null) TlsExtensionBlock.WriteCookie(w, Cookie);
        if (TransportParameters is not null)
            TlsExtensionBlock.Write(w, TlsExtensionType.QuicTransportParameters, x => x.WriteBytes(TransportParameters));
        w.EndVector(ext, 2);
        w.EndVector(body, 3);
        return w.ToArray();
    }

    private static string? ParseServerName(ReadOnlySpan<byte> data)
    {
        var r = new TlsReader(data);
        var list = new TlsReader(r.ReadVector16());
        r.EnsureEnd("server_name");
        if (list.IsEmpty) throw new TlsAlertException(TlsAlert.DecodeError, "empty server_name list");
        string? hostName = null;
        while (!list.IsEmpty)
        {
            byte type = list.ReadUInt8();
            var name = list.ReadVector16();
            if (type != 0) continue; // unknown NameType: skip
            if (hostName is not null || name.IsEmpty)
                throw new TlsAlertException(TlsAlert.IllegalParameter, "server_name must hold one non-empty host_name");
            hostName = Encoding.ASCII.GetString(name);
        }
        return hostName;
    }

    private static ushort[] ParseSupportedVersions(ReadOnlySpan<byte> data)
    {
        var r = new TlsReader(data);
        var list = r.ReadVector8();
        r.EnsureEnd("supported_versions");
        if (list.IsEmpty || list.Length % 2 != 0) throw new TlsAlertException(TlsAlert.DecodeError, "malformed supported_versions");
        var versions = new ushort[list.Length / 2];
        for (int i = 0; i < versions.Length; i++) versions[i] = (ushort)(list[2 * i] << 8 | list[2 * i + 1]);
        return versions;
    }

    private static List<(ushort, byte[])> ParseKeyShares(ReadOnlySpan<byte> data)
    {
        var r = new TlsReader(data);
        var list = new TlsReader(r.ReadVector16());
        r.EnsureEnd("key_share");
        var shares = new List<(ushort, byte[])>();
        while (!list.IsEmpty)
        {
            ushort group = list.ReadUInt16();
            var key = list.ReadVector16();
            if (key.IsEmpty) throw new TlsAlertException(TlsAlert.DecodeError, "empty key_exchange");
            if (shares.Exists(s => s.Item1 == group))
                throw new TlsAlertException(TlsAlert.IllegalParameter, "two key_share entries for one group");
            shares.Add((group, key.ToArray()));
        }
        return shares;
    }

    /// <summary>Reads the body of a cookie extension (RFC 8446 section 4.2.2).</summary>
    public static byte[] ParseCookie(ReadOnlySpan<byte> data)
    {
        var r = new TlsReader(data);
        var cookie = r.ReadVector16();
        r.EnsureEnd("cookie");
        if (cookie.IsEmpty) throw new TlsAlertException(TlsAlert.DecodeError, "empty cookie");
        return cookie.ToArray();
    }
}
