namespace RtcClient.Http3.Frames;

/// <summary>SETTINGS identifiers (RFC 9114 section 7.2.4.1, RFC 9204, RFC 9220, RFC 9297, WebTransport drafts).</summary>
internal static class Http3SettingId
{
    public const long QpackMaxTableCapacity = 0x01;
    public const long MaxFieldSectionSize = 0x06;
    public const long QpackBlockedStreams = 0x07;
    public const long EnableConnectProtocol = 0x08;
    public const long H3Datagram = 0x33;

    /// <summary>H3_DATAGRAM of draft-ietf-masque-h3-datagram-04, still sent by Chromium.</summary>
    public const long H3DatagramDraft04 = 0xffd277;

    /// <summary>SETTINGS_ENABLE_WEBTRANSPORT of draft-ietf-webtrans-http3-02 (Chromium).</summary>
    public const long EnableWebTransportDraft02 = 0x2b603742;

    /// <summary>SETTINGS_WEBTRANSPORT_MAX_SESSIONS of drafts 07..08.</summary>
    public const long WebTransportMaxSessionsDraft07 = 0xc671706a;

    /// <summary>SETTINGS_WT_MAX_SESSIONS of drafts 09..14.</summary>
    public const long WtMaxSessions = 0x14e9cd29;

    /// <summary>SETTINGS_WT_ENABLED of the current draft.</summary>
    public const long WtEnabled = 0x2c7cf000;

    public const long WtInitialMaxData = 0x2b61;
    public const long WtInitialMaxStreamsUni = 0x2b64;
    public const long WtInitialMaxStreamsBidi = 0x2b65;

    /// <summary>HTTP/2 settings without an HTTP/3 meaning; receiving one is H3_SETTINGS_ERROR (RFC 9114 section 7.2.4.1).</summary>
    public static bool IsHttp2Only(long id) => id is 0x02 or 0x03 or 0x04 or 0x05;
}
