namespace RtcClient.Quic.Tls;

/// <summary>ExtensionType codepoints (RFC 8446 section 4.2, RFC 9001 section 8.2).</summary>
internal static class TlsExtensionType
{
    /// <summary>server_name (RFC 6066).</summary>
    public const ushort ServerName = 0;
    /// <summary>supported_groups.</summary>
    public const ushort SupportedGroups = 10;
    /// <summary>signature_algorithms.</summary>
    public const ushort SignatureAlgorithms = 13;
    /// <summary>application_layer_protocol_negotiation (RFC 7301).</summary>
    public const ushort ApplicationLayerProtocolNegotiation = 16;
    /// <summary>pre_shared_key.</summary>
    public const ushort PreSharedKey = 41;
    /// <summary>early_data.</summary>
    public const ushort EarlyData = 42;
    /// <summary>supported_versions.</summary>
    public const ushort SupportedVersions = 43;
    /// <summary>cookie.</summary>
    public const ushort Cookie = 44;
    /// <summary>psk_key_exchange_modes.</summary>
    public const ushort PskKeyExchangeModes = 45;
    /// <summary>key_share.</summary>
    public const ushort KeyShare = 51;
    /// <summary>quic_transport_parameters (RFC 9001 section 8.2).</summary>
    public const ushort QuicTransportParameters = 0x39;
}
