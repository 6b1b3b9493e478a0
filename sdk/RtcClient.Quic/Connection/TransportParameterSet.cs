using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

/// <summary>
/// The transport parameters one endpoint announces (RFC 9000 section 18.2, RFC 9221 section 3), with
/// the encoding of the quic_transport_parameters extension body and the peer-side validation.
/// </summary>
internal sealed class TransportParameterSet
{
    private const long MaxStreamsLimit = 1L << 60;

    /// <summary>original_destination_connection_id (server only).</summary>
    public ConnectionId? OriginalDestinationConnectionId { get; set; }
    /// <summary>max_idle_timeout in milliseconds; 0 = none.</summary>
    public long MaxIdleTimeoutMs { get; set; }
    /// <summary>stateless_reset_token (server only).</summary>
    public byte[]? StatelessResetToken { get; set; }
    /// <summary>max_udp_payload_size.</summary>
    public long MaxUdpPayloadSize { get; set; } = 65527;
    /// <summary>initial_max_data.</summary>
    public long InitialMaxData { get; set; }
    /// <summary>initial_max_stream_data_bidi_local.</summary>
    public long InitialMaxStreamDataBidiLocal { get; set; }
    /// <summary>initial_max_stream_data_bidi_remote.</summary>
    public long InitialMaxStreamDataBidiRemote { get; set; }
    /// <summary>initial_max_stream_data_uni.</summary>
    public long InitialMaxStreamDataUni { get; set; }
    /// <summary>initial_max_streams_bidi.</summary>
    public long InitialMaxStreamsBidi { get; set; }
    /// <summary>initial_max_streams_uni.</summary>
    public long InitialMaxStreamsUni { get; set; }
    /// <summary>ack_delay_exponent.</summary>
    public long AckDelayExponent { get; set; } = 3;
    /// <summary>max_ack_delay in milliseconds.</summary>
    public long MaxAckDelayMs { get; set; } = 25;
    /// <summary>disable_active_migration.</summary>
    public bool DisableActiveMigration { get; set; }
    /// <summary>active_connection_id_limit.</summary>
    public long ActiveConnectionIdLimit { get; set; } = 2;
    /// <summary>initial_source_connection_id.</summary>
    public ConnectionId? InitialSourceConnectionId { get; set; }
    /// <summary>retry_source_connection_id (server only).</summary>
    public ConnectionId? RetrySourceConnectionId { get; set; }
    /// <summary>True when the server sent preferred_address (we do not migrate to it).</summary>
    public bool HasPreferredAddress { get; set; }
    /// <summary>max_datagram_frame_size (RFC 9221); null when absent (datagrams not accepted).</summary>
    public long? MaxDatagramFrameSize { get; set; }

    /// <summary>Encodes the extension body.</summary>
    public byte[] Encode()
    {
        var buffer = new byte[512];
        int n = 0;
        void Varint(long id, long value)
        {
            n += Write(buffer.AsSpan(n), id);
            n += Write(buffer.AsSpan(n), VariableLengthInteger.GetLength(value));
            n += Write(buffer.AsSpan(n), value);
        }
        void Bytes(long id, ReadOnlySpan<byte> value)
        {
            n += Write(buffer.AsSpan(n), id);
            n += Write(buffer.AsSpan(n), value.Length);
            value.CopyTo(buffer.AsSpan(n));
            n += value.Length;
        }
        if (OriginalDestinationConnectionId is { } odcid) Bytes(0x00, odcid.Span);
        if (MaxIdleTimeoutMs > 0) Varint(0x01, MaxIdleTimeoutMs);
        if (StatelessResetToken is { } token) Bytes(0x02, token);
        Varint(0x03, MaxUdpPayloadSize);
        Varint(0x04, InitialMaxData);
        Varint(0x05, InitialMaxStreamDataBidiLocal);
        Varint(0x06, InitialMaxStreamDataBidiRemote);
        Varint(0x07, InitialMaxStreamDataUni);
        Varint(0x08, InitialMaxStreamsBidi);
        Varint(0x09, InitialMaxStreamsUni);
        if (AckDelayExponent != 3) Varint(0x0a, AckDelayExponent);
        if (MaxAckDelayMs != 25) Varint(0x0b, MaxAckDelayMs);
        if (DisableActiveMigration) Bytes(0x0c, default);
        Varint(0x0e, ActiveConnectionIdLimit);
        if (InitialSourceConnectionId is { } iscid) Bytes(0x0f, iscid.Span);
        if (RetrySourceConnectionId is { } rscid) Bytes(0x10, rscid.Span);
        if (MaxDatagramFrameSize is long mdfs) Varint(0x20, mdfs);
        return buffer.AsSpan(0, n).ToArray();
    }

    private static int Write(Span<byte> destination, long value)
    {
        VariableLengthInteger.TryWrite(destination, value, out int written);
        return written;
    }

    /// <summary>
    /// Decodes the peer's extension body. <paramref name="fromServer"/> says who sent it: server-only
    /// parameters from a client are a TRANSPORT_PARAMETER_ERROR, as are malformed or out-of-range values.
    /// </summary>
    public static TransportParameterSet Decode(ReadOnlySpan<byte> body, bool fromServer)
    {
        var result = new TransportParameterSet();
        var seen = new HashSet<long>();
        int pos = 0;
        while (pos < body.Length)
        {
            long id = ReadVarint(body, ref pos);
            long length = ReadVarint(body, ref pos);
            if (length > body.Length - pos) throw Error("parameter length past the end");
            var value = body.Slice(pos, (int)length);
            pos += (int)length;
            if (!seen.Add(id)) throw Error($"duplicate transport parameter 0x{id:x}");
            switch (id)
            {
                case 0x00: RequireServer(fromServer, id); result.OriginalDestinationConnectionId = ReadConnectionId(value); break;
                case 0x01: result.MaxIdleTimeoutMs = ReadSingleVarint(value); break;
                case 0x02:
                    RequireServer(fromServer, id);
                    if (value.Length != 16) throw Error("stateless_reset_token must be 16 bytes");
                    result.StatelessResetToken = value.ToArray();
                    break;
                case 0x03:
                    result.MaxUdpPayloadSize = ReadSingleVarint(value);
                    if (result.MaxUdpPayloadSize < 1200) throw Error("max_udp_payload_size below 1200");
                    break;
                case 0x04: result.InitialMaxData = ReadSingleVarint(value); break;
                case 0x05: result.InitialMaxStreamDataBidiLocal = ReadSingleVarint(value); break;
                case 0x06: result.InitialMaxStreamDataBidiRemote = ReadSingleVarint(value); break;
                case 0x07: result.InitialMaxStreamDataUni = ReadSingleVarint(value); break;
                case 0x08:
                    result.InitialMaxStreamsBidi = ReadSingleVarint(value);
                    if (result.InitialMaxStreamsBidi > MaxStreamsLimit) throw Error("initial_max_streams_bidi above 2^60");
                    break;
                case 0x09:
                    result.InitialMaxStreamsUni = ReadSingleVarint(value);
                    if (result.InitialMaxStreamsUni > MaxStreamsLimit) throw Error("initial_max_streams_uni above 2^60");
                    break;
                case 0x0a:
                    result.AckDelayExponent = ReadSingleVarint(value);
                    if (result.AckDelayExponent > 20) throw Error("ack_delay_exponent above 20");
                    break;
                case 0x0b:
                    result.MaxAckDelayMs = ReadSingleVarint(value);
                    if (result.MaxAckDelayMs >= 1 << 14) throw Error("max_ack_delay of 2^14 or more");
                    break;
                case 0x0c:
                    if (!value.IsEmpty) throw Error("disable_active_migration has a value");
                    result.DisableActiveMigration = true;
                    break;
                case 0x0d:
                    RequireServer(fromServer, id);
                    // preferred_address: IPv4 (4+2), IPv6 (16+2), CID length + CID, token (16).
                    if (value.Length < 41 || value[24] is 0 or > 20 || value.Length != 41 + value[24]) throw Error("malformed preferred_address");
                    result.HasPreferredAddress = true;
                    break;
                case 0x0e:
                    result.ActiveConnectionIdLimit = ReadSingleVarint(value);
                    if (result.ActiveConnectionIdLimit < 2) throw Error("active_connection_id_limit below 2");
                    break;
                case 0x0f: result.InitialSourceConnectionId = ReadConnectionId(value); break;
                case 0x10: RequireServer(fromServer, id); result.RetrySourceConnectionId = ReadConnectionId(value); break;
                case 0x20: result.MaxDatagramFrameSize = ReadSingleVarint(value); break;
                default: break; // unknown and reserved parameters are ignored (RFC 9000 section 18.1)
            }
        }
        if (result.InitialSourceConnectionId is null) throw Error("initial_source_connection_id missing");
        if (fromServer && result.OriginalDestinationConnectionId is null) throw Error("original_destination_connection_id missing");
        return result;
    }

    private static void RequireServer(bool fromServer, long id)
    {
        if (!fromServer) throw Error($"client sent server-only transport parameter 0x{id:x}");
    }

    private static ConnectionId ReadConnectionId(ReadOnlySpan<byte> value)
    {
        if (value.Length > ConnectionId.MaxLength) throw Error("connection ID longer than 20 bytes");
        return new ConnectionId(value);
    }

    private static long ReadSingleVarint(ReadOnlySpan<byte> value)
    {
        if (!VariableLengthInteger.TryRead(value, out long v, out int read) || read != value.Length) throw Error("malformed integer parameter");
        return v;
    }

    private static long ReadVarint(ReadOnlySpan<byte> body, ref int pos)
    {
        if (!VariableLengthInteger.TryRead(body[pos..], out long v, out int read)) throw Error("truncated transport parameters");
        pos += read;
        return v;
    }

    private static QuicProtocolException Error(string reason) => new(TransportErrorCode.TransportParameterError, reason);
}
