using System.Buffers;
using RtcClient.Quic.Wire;

namespace RtcClient.Http3.Frames;

/// <summary>The contents of a SETTINGS frame (RFC 9114 section 7.2.4): known values plus everything else received.</summary>
internal sealed class Http3Settings
{
    private readonly List<KeyValuePair<long, long>> _all = [];

    /// <summary>SETTINGS_QPACK_MAX_TABLE_CAPACITY (default 0).</summary>
    public long QpackMaxTableCapacity { get; set; }

    /// <summary>SETTINGS_MAX_FIELD_SECTION_SIZE (default unlimited).</summary>
    public long MaxFieldSectionSize { get; set; } = long.MaxValue;

    /// <summary>SETTINGS_QPACK_BLOCKED_STREAMS (default 0).</summary>
    public long QpackBlockedStreams { get; set; }

    /// <summary>SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 9220).</summary>
    public bool EnableConnectProtocol { get; set; }

    /// <summary>SETTINGS_H3_DATAGRAM (RFC 9297), or its draft-04 codepoint.</summary>
    public bool H3Datagram { get; set; }

    /// <summary>The draft-02 WebTransport dialect (SETTINGS_ENABLE_WEBTRANSPORT = 1).</summary>
    public bool WebTransportDraft02 { get; set; }

    /// <summary>The current WebTransport dialect (SETTINGS_WT_ENABLED or SETTINGS_WT_MAX_SESSIONS non-zero).</summary>
    public bool WebTransportCurrent { get; set; }

    /// <summary>Every setting as received (or to send), in order, including unknown and GREASE ones.</summary>
    public IReadOnlyList<KeyValuePair<long, long>> All => _all;

    /// <summary>Adds a raw setting to send (e.g. GREASE or a draft codepoint).</summary>
    public void AddRaw(long id, long value) => _all.Add(new(id, value));

    /// <summary>Writes a SETTINGS frame: the known values that differ from defaults, then the raw ones.</summary>
    public void WriteFrame(IBufferWriter<byte> output)
    {
        var pairs = new List<KeyValuePair<long, long>>();
        if (QpackMaxTableCapacity != 0)
            pairs.Add(new(Http3SettingId.QpackMaxTableCapacity, QpackMaxTableCapacity));
        if (MaxFieldSectionSize != long.MaxValue)
            pairs.Add(new(Http3SettingId.MaxFieldSectionSize, MaxFieldSectionSize));
        if (QpackBlockedStreams != 0)
            pairs.Add(new(Http3SettingId.QpackBlockedStreams, QpackBlockedStreams));
        if (EnableConnectProtocol)
            pairs.Add(new(Http3SettingId.EnableConnectProtocol, 1));
        if (H3Datagram)
            pairs.Add(new(Http3SettingId.H3Datagram, 1));
        if (WebTransportDraft02)
            pairs.Add(new(Http3SettingId.EnableWebTransportDraft02, 1));
        if (WebTransportCurrent)
            pairs.Add(new(Http3SettingId.WtEnabled, 1));
        pairs.AddRange(_all);
        long length = 0;
        foreach (var p in pairs)
            length += VariableLengthInteger.GetLength(p.Key) + VariableLengthInteger.GetLength(p.Value);
        Http3FrameWriter.WriteHeader(output, Http3FrameType.Settings, length);
        foreach (var p in pairs)
        {
            Http3FrameWriter.WriteVarInt(output, p.Key);
            Http3FrameWriter.WriteVarInt(output, p.Value);
        }
    }

    /// <summary>Parses a SETTINGS payload; duplicates, HTTP/2 settings and bad values are H3_SETTINGS_ERROR, truncation H3_FRAME_ERROR.</summary>
    public static Http3Settings Parse(ReadOnlySpan<byte> payload)
    {
        var s = new Http3Settings();
        var seen = new HashSet<long>();
        while (!payload.IsEmpty)
        {
            if (!VariableLengthInteger.TryRead(payload, out long id, out int n1) ||
                !VariableLengthInteger.TryRead(payload[n1..], out long value, out int n2))
                throw new Http3ProtocolException(Http3ErrorCode.FrameError, "truncated SETTINGS frame");
            payload = payload[(n1 + n2)..];
            if (!seen.Add(id))
                throw new Http3ProtocolException(Http3ErrorCode.SettingsError, $"setting 0x{id:x} sent twice");
            if (Http3SettingId.IsHttp2Only(id))
                throw new Http3ProtocolException(Http3ErrorCode.SettingsError, $"HTTP/2 setting 0x{id:x} in HTTP/3");
            s._all.Add(new(id, value));
            switch (id)
            {
                case Http3SettingId.QpackMaxTableCapacity:
                    s.QpackMaxTableCapacity = value;
                    break;
                case Http3SettingId.MaxFieldSectionSize:
                    s.MaxFieldSectionSize = value;
                    break;
                case Http3SettingId.QpackBlockedStreams:
                    s.QpackBlockedStreams = value;
                    break;
                case Http3SettingId.EnableConnectProtocol:
                    s.EnableConnectProtocol = Bool(id, value);
                    break;
                case Http3SettingId.H3Datagram:
                case Http3SettingId.H3DatagramDraft04:
                    s.H3Datagram |= Bool(id, value);
                    break;
                case Http3SettingId.EnableWebTransportDraft02:
                    s.WebTransportDraft02 = value != 0;
                    break;
                case Http3SettingId.WtEnabled:
                case Http3SettingId.WtMaxSessions:
                case Http3SettingId.WebTransportMaxSessionsDraft07:
                    s.WebTransportCurrent |= value != 0;
                    break;
            }
        }

        return s;

        static bool Bool(long id, long v) => v switch
        {
            0 => false,
            1 => true,
            _ => throw new Http3ProtocolException(Http3ErrorCode.SettingsError, $"setting 0x{id:x} must be 0 or 1"),
        };
    }
}
