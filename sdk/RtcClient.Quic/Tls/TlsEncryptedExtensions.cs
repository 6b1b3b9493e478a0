namespace RtcClient.Quic.Tls;

/// <summary>
/// EncryptedExtensions (RFC 8446 section 4.3.1) as QUIC uses it: the selected ALPN protocol and the
/// server's quic_transport_parameters (RFC 9001 section 8.2).
/// </summary>
internal sealed class TlsEncryptedExtensions
{
    /// <summary>The single ALPN protocol the server selected, or null when absent.</summary>
    public string? ApplicationProtocol { get; init; }

    /// <summary>quic_transport_parameters body, or null when absent.</summary>
    public byte[]? TransportParameters { get; init; }

    /// <summary>
    /// Parses the body. Only extensions this client sent may be answered here (server_name and
    /// supported_groups are tolerated and ignored); anything else is unsupported_extension.
    /// </summary>
    public static TlsEncryptedExtensions Parse(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var extensions = TlsExtensionBlock.Parse(r.ReadVector16());
        r.EnsureEnd("EncryptedExtensions");
        string? alpn = null;
        byte[]? transportParameters = null;
        foreach (var (type, data) in extensions)
        {
            switch (type)
            {
                case TlsExtensionType.ApplicationLayerProtocolNegotiation:
                    var names = TlsExtensionBlock.ReadProtocolNameList(data);
                    if (names.Count != 1) throw new TlsAlertException(TlsAlert.IllegalParameter, "server must select exactly one ALPN protocol");
                    alpn = names[0];
                    break;
                case TlsExtensionType.QuicTransportParameters:
                    transportParameters = data;
                    break;
                case TlsExtensionType.ServerName:
                    if (data.Length != 0) throw new TlsAlertException(TlsAlert.DecodeError, "server_name acknowledgement must be empty");
                    break;
                case TlsExtensionType.SupportedGroups:
                    TlsExtensionBlock.ReadUInt16List(data, "supported_groups");
                    break;
                default:
                    throw new TlsAlertException(TlsAlert.UnsupportedExtension, $"unexpected extension {type} in EncryptedExtensions");
            }
        }
        return new TlsEncryptedExtensions { ApplicationProtocol = alpn, TransportParameters = transportParameters };
    }

    /// <summary>Writes the whole handshake message (header included).</summary>
    public byte[] Encode()
    {
        var w = new TlsWriter();
        w.WriteUInt8((byte)TlsHandshakeType.EncryptedExtensions);
        int body = w.BeginVector(3);
        int ext = w.BeginVector(2);
        if (ApplicationProtocol is not null)
            TlsExtensionBlock.Write(w, TlsExtensionType.ApplicationLayerProtocolNegotiation, x => TlsExtensionBlock.WriteProtocolNameList(x, [ApplicationProtocol]));
        if (TransportParameters is not null)
            TlsExtensionBlock.Write(w, TlsExtensionType.QuicTransportParameters, x => x.WriteBytes(TransportParameters));
        w.EndVector(ext, 2);
        w.EndVector(body, 3);
        return w.ToArray();
    }
}
