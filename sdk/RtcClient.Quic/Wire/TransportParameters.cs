using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace RtcClient.Quic.Wire;

/// <summary>
/// QUIC transport parameters (RFC 9000 section 18, RFC 9221 max_datagram_frame_size): the value of the TLS
/// quic_transport_parameters extension. Defaults are the RFC's defaults for absent parameters. Encoding writes
/// only values that differ from the defaults; decoding validates every rule of section 18.2 and reports
/// violations as TRANSPORT_PARAMETER_ERROR. Unknown and reserved (grease) parameters are ignored.
/// Checking connection ID values against the handshake (section 7.3) is the connection's job.
/// </summary>
public sealed class TransportParameters
{
    /// <summary>Default and largest max_udp_payload_size.</summary>
    public const long DefaultMaxUdpPayloadSize = 65527;

    /// <summary>Smallest valid max_udp_payload_size.</summary>
    public const long MinMaxUdpPayloadSize = 1200;

    /// <summary>Default ack_delay_exponent.</summary>
    public const long DefaultAckDelayExponent = 3;

    /// <summary>Largest valid ack_delay_exponent.</summary>
    public const long MaxAckDelayExponent = 20;

    /// <summary>Default max_ack_delay in milliseconds.</summary>
    public const long DefaultMaxAckDelay = 25;

    /// <summary>max_ack_delay must be below this (2^14 ms).</summary>
    public const long MaxAckDelayLimit = 1L << 14;

    /// <summary>Default and smallest active_connection_id_limit.</summary>
    public const long DefaultActiveConnectionIdLimit = 2;

    /// <summary>Largest initial_max_streams_* value, 2^60.</summary>
    public const long MaxStreams = 1L << 60;

    private const int PreferredAddressFixedLength = 4 + 2 + 16 + 2 + 1 + 16;

    /// <summary>original_destination_connection_id: the DCID of the client's first Initial (server only).</summary>
    public byte[]? OriginalDestinationConnectionId { get; set; }

    /// <summary>max_idle_timeout in milliseconds; 0 means no idle timeout.</summary>
    public long MaxIdleTimeout { get; set; }

    /// <summary>stateless_reset_token for the server's handshake connection ID (server only, 16 bytes).</summary>
    public byte[]? StatelessResetToken { get; set; }

    /// <summary>max_udp_payload_size.</summary>
    public long MaxUdpPayloadSize { get; set; } = DefaultMaxUdpPayloadSize;

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
    public long AckDelayExponent { get; set; } = DefaultAckDelayExponent;

    /// <summary>max_ack_delay in milliseconds.</summary>
    public long MaxAckDelay { get; set; } = DefaultMaxAckDelay;

    /// <summary>disable_active_migration.</summary>
    public bool DisableActiveMigration { get; set; }

    /// <summary>preferred_address (server only).</summary>
    public TransportParametersPreferredAddress? PreferredAddress { get; set; }

    /// <summary>active_connection_id_limit.</summary>
    public long ActiveConnectionIdLimit { get; set; } = DefaultActiveConnectionIdLimit;

    /// <summary>initial_source_connection_id: the SCID of the sender's first Initial (required from both sides).</summary>
    public byte[]? InitialSourceConnectionId { get; set; }

    /// <summary>retry_source_connection_id: the SCID of the server's Retry (server only, present only after a Retry).</summary>
    public byte[]? RetrySourceConnectionId { get; set; }

    /// <summary>max_datagram_frame_size (RFC 9221); null when DATAGRAM frames are not supported.</summary>
    public long? MaxDatagramFrameSize { get; set; }

    /// <summary>
    /// A reserved parameter ID of the form 31 * N + 27 to send (empty) so peers keep ignoring unknown parameters
    /// (RFC 9000 section 18.1); null sends none. Never set by <see cref="Decode"/>.
    /// </summary>
    public long? GreaseParameterId
    {
        get => _greaseParameterId;
        set => _greaseParameterId = value is null || IsReserved(value.Value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "reserved IDs are 31 * N + 27");
    }

    private long? _greaseParameterId;

    /// <summary>True for IDs reserved to exercise the handling of unknown parameters (31 * N + 27).</summary>
    public static bool IsReserved(long id) => id is >= 27 and <= VariableLengthInteger.MaxValue && id % 31 == 27;

    /// <summary>Bytes <see cref="TryEncode"/> writes.</summary>
    public int GetEncodedLength()
    {
        var counter = new Writer(Span<byte>.Empty, countOnly: true);
        WriteAll(ref counter);
        return counter.Position;
    }

    /// <summary>Encodes the parameters; returns false when <paramref name="destination"/> is too small.</summary>
    public bool TryEncode(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (destination.Length < length) return false;
        var writer = new Writer(destination, countOnly: false);
        WriteAll(ref writer);
        written = writer.Position;
        return true;
    }

    /// <summary>Encodes the parameters into a new array (handshake path).</summary>
    public byte[] Encode()
    {
        var result = new byte[GetEncodedLength()];
        TryEncode(result, out _);
        return result;
    }

    /// <summary>
    /// Decodes and validates the peer's transport parameters. <paramref name="fromServer"/> is true when the
    /// server sent them (a client receiving), false when a client did (server-only parameters then are an error).
    /// </summary>
    /// <exception cref="QuicProtocolException">TRANSPORT_PARAMETER_ERROR for any malformed or invalid parameter.</exception>
    public static TransportParameters Decode(ReadOnlySpan<byte> encoded, bool fromServer)
    {
        var result = new TransportParameters();
        ulong seen = 0;
        int offset = 0;
        while (offset < encoded.Length)
        {
            if (!VariableLengthInteger.TryRead(encoded[offset..], out long id, out int read)) throw Error("truncated parameter ID");
            offset += read;
            if (!VariableLengthInteger.TryRead(encoded[offset..], out long length, out read)) throw Error("truncated parameter length");
            offset += read;
            if (length > encoded.Length - offset) throw Error("parameter value past the end");
            ReadOnlySpan<byte> value = encoded.Slice(offset, (int)length);
            offset += (int)length;

            if (id <= (long)TransportParameterId.MaxDatagramFrameSize)
            {
                ulong bit = 1UL << (int)id;
                if ((seen & bit) != 0 && Enum.IsDefined((TransportParameterId)id)) throw Error($"duplicate parameter 0x{id:x}");
                seen |= bit;
            }

            result.Apply((TransportParameterId)id, value, fromServer);
        }

        if (result.InitialSourceConnectionId is null) throw Error("initial_source_connection_id missing");
        if (fromServer && result.OriginalDestinationConnectionId is null) throw Error("original_destination_connection_id missing");
        if (result.PreferredAddress is not null && result.InitialSourceConnectionId.Length == 0)
            throw Error("preferred_address from a server using zero-length connection IDs");
        return result;
    }

    private void Apply(TransportParameterId id, ReadOnlySpan<byte> value, bool fromServer)
    {
        switch (id)
        {
            case TransportParameterId.OriginalDestinationConnectionId:
                ServerOnly(id, fromServer);
                OriginalDestinationConnectionId = ConnectionId(value);
                break;
            case TransportParameterId.MaxIdleTimeout:
                MaxIdleTimeout = Integer(value);
                break;
            case TransportParameterId.StatelessResetToken:
                ServerOnly(id, fromServer);
                if (value.Length != 16) throw Error("stateless_reset_token is not 16 bytes");
                StatelessResetToken = value.ToArray();
                break;
            case TransportParameterId.MaxUdpPayloadSize:
                MaxUdpPayloadSize = Integer(value);
                if (MaxUdpPayloadSize < MinMaxUdpPayloadSize) throw Error("max_udp_payload_size below 1200");
                break;
            case TransportParameterId.InitialMaxData:
                InitialMaxData = Integer(value);
                break;
            case TransportParameterId.InitialMaxStreamDataBidiLocal:
                InitialMaxStreamDataBidiLocal = Integer(value);
                break;
            case TransportParameterId.InitialMaxStreamDataBidiRemote:
                InitialMaxStreamDataBidiRemote = Integer(value);
                break;
            case TransportParameterId.InitialMaxStreamDataUni:
                InitialMaxStreamDataUni = Integer(value);
                break;
            case TransportParameterId.InitialMaxStreamsBidi:
                InitialMaxStreamsBidi = Integer(value);
                if (InitialMaxStreamsBidi > MaxStreams) throw Error("initial_max_streams_bidi above 2^60");
                break;
            case TransportParameterId.InitialMaxStreamsUni:
                InitialMaxStreamsUni = Integer(value);
                if (InitialMaxStreamsUni > MaxStreams) throw Error("initial_max_streams_uni above 2^60");
                break;
            case TransportParameterId.AckDelayExponent:
                AckDelayExponent = Integer(value);
                if (AckDelayExponent > MaxAckDelayExponent) throw Error("ack_delay_exponent above 20");
                break;
            case TransportParameterId.MaxAckDelay:
                MaxAckDelay = Integer(value);
                if (MaxAckDelay >= MaxAckDelayLimit) throw Error("max_ack_delay of 2^14 or more");
                break;
            case TransportParameterId.DisableActiveMigration:
                if (!value.IsEmpty) throw Error("disable_active_migration carries a value");
                DisableActiveMigration = true;
                break;
            case TransportParameterId.PreferredAddress:
                ServerOnly(id, fromServer);
                PreferredAddress = DecodePreferredAddress(value);
                break;
            case TransportParameterId.ActiveConnectionIdLimit:
                ActiveConnectionIdLimit = Integer(value);
                if (ActiveConnectionIdLimit < DefaultActiveConnectionIdLimit) throw Error("active_connection_id_limit below 2");
                break;
            case TransportParameterId.InitialSourceConnectionId:
                InitialSourceConnectionId = ConnectionId(value);
                break;
            case TransportParameterId.RetrySourceConnectionId:
                ServerOnly(id, fromServer);
                RetrySourceConnectionId = ConnectionId(value);
                break;
            case TransportParameterId.MaxDatagramFrameSize:
                MaxDatagramFrameSize = Integer(value);
                break;
            default:
                break; // unknown or reserved: ignored (RFC 9000 section 7.4.2)
        }
    }

    private static TransportParametersPreferredAddress DecodePreferredAddress(ReadOnlySpan<byte> value)
    {
        if (value.Length < PreferredAddressFixedLength) throw Error("preferred_address too short");
        int cidLength = value[24];
        if (cidLength is < 1 or > 20) throw Error("preferred_address connection ID length outside 1..20");
        if (value.Length != PreferredAddressFixedLength + cidLength) throw Error("preferred_address length mismatch");
        IPEndPoint? v4 = Endpoint(value[..4], BinaryPrimitives.ReadUInt16BigEndian(value[4..]));
        IPEndPoint? v6 = Endpoint(value.Slice(6, 16), BinaryPrimitives.ReadUInt16BigEndian(value[22..]));
        return new TransportParametersPreferredAddress(v4, v6, value.Slice(25, cidLength).ToArray(), value.Slice(25 + cidLength, 16).ToArray());

        static IPEndPoint? Endpoint(ReadOnlySpan<byte> address, ushort port)
            => port == 0 && !address.ContainsAnyExcept((byte)0) ? null : new IPEndPoint(new IPAddress(address), port);
    }

    private static void ServerOnly(TransportParameterId id, bool fromServer)
    {
        if (!fromServer) throw Error($"server-only parameter {id} sent by a client");
    }

    private static long Integer(ReadOnlySpan<byte> value)
    {
        if (!VariableLengthInteger.TryRead(value, out long result, out int read) || read != value.Length) throw Error("malformed integer parameter");
        return result;
    }

    private static byte[] ConnectionId(ReadOnlySpan<byte> value)
        => value.Length > 20 ? throw Error("connection ID longer than 20 bytes") : value.ToArray();

    private static QuicProtocolException Error(string reason) => new(TransportErrorCode.TransportParameterError, reason);

    private void WriteAll(ref Writer w)
    {
        w.Bytes(TransportParameterId.OriginalDestinationConnectionId, OriginalDestinationConnectionId);
        if (MaxIdleTimeout != 0) w.Integer(TransportParameterId.MaxIdleTimeout, MaxIdleTimeout);
        w.Bytes(TransportParameterId.StatelessResetToken, StatelessResetToken);
        if (MaxUdpPayloadSize != DefaultMaxUdpPayloadSize) w.Integer(TransportParameterId.MaxUdpPayloadSize, MaxUdpPayloadSize);
        if (InitialMaxData != 0) w.Integer(TransportParameterId.InitialMaxData, InitialMaxData);
        if (InitialMaxStreamDataBidiLocal != 0) w.Integer(TransportParameterId.InitialMaxStreamDataBidiLocal, InitialMaxStreamDataBidiLocal);
        if (InitialMaxStreamDataBidiRemote != 0) w.Integer(TransportParameterId.InitialMaxStreamDataBidiRemote, InitialMaxStreamDataBidiRemote);
        if (InitialMaxStreamDataUni != 0) w.Integer(TransportParameterId.InitialMaxStreamDataUni, InitialMaxStreamDataUni);
        if (InitialMaxStreamsBidi != 0) w.Integer(TransportParameterId.InitialMaxStreamsBidi, InitialMaxStreamsBidi);
        if (InitialMaxStreamsUni != 0) w.Integer(TransportParameterId.InitialMaxStreamsUni, InitialMaxStreamsUni);
        if (AckDelayExponent != DefaultAckDelayExponent) w.Integer(TransportParameterId.AckDelayExponent, AckDelayExponent);
        if (MaxAckDelay != DefaultMaxAckDelay) w.Integer(TransportParameterId.MaxAckDelay, MaxAckDelay);
        if (DisableActiveMigration) w.Bytes(TransportParameterId.DisableActiveMigration, ReadOnlySpan<byte>.Empty);
        if (PreferredAddress is { } preferred)
        {
            Span<byte> value = stackalloc byte[PreferredAddressFixedLength + 20];
            int length = EncodePreferredAddress(preferred, value);
            w.Bytes(TransportParameterId.PreferredAddress, value[..length]);
        }

        if (ActiveConnectionIdLimit != DefaultActiveConnectionIdLimit) w.Integer(TransportParameterId.ActiveConnectionIdLimit, ActiveConnectionIdLimit);
        w.Bytes(TransportParameterId.InitialSourceConnectionId, InitialSourceConnectionId);
        w.Bytes(TransportParameterId.RetrySourceConnectionId, RetrySourceConnectionId);
        if (MaxDatagramFrameSize is { } maxDatagram) w.Integer(TransportParameterId.MaxDatagramFrameSize, maxDatagram);
        if (GreaseParameterId is { } grease) w.Bytes((TransportParameterId)grease, ReadOnlySpan<byte>.Empty);
    }

    private static int EncodePreferredAddress(TransportParametersPreferredAddress preferred, Span<byte> value)
    {
        if (preferred.ConnectionId.Length is < 1 or > 20) throw new ArgumentException("preferred_address connection ID is 1 to 20 bytes");
        if (preferred.StatelessResetToken.Length != 16) throw new ArgumentException("preferred_address token is 16 bytes");
        value[..24].Clear();
        if (preferred.IPv4 is { } v4)
        {
            if (v4.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("IPv4 endpoint expected");
            v4.Address.TryWriteBytes(value, out _);
            BinaryPrimitives.WriteUInt16BigEndian(value[4..], (ushort)v4.Port);
        }

        if (preferred.IPv6 is { } v6)
        {
            if (v6.AddressFamily != AddressFamily.InterNetworkV6) throw new ArgumentException("IPv6 endpoint expected");
            v6.Address.TryWriteBytes(value[6..], out _);
            BinaryPrimitives.WriteUInt16BigEndian(value[22..], (ushort)v6.Port);
        }

        value[24] = (byte)preferred.ConnectionId.Length;
        preferred.ConnectionId.CopyTo(value[25..]);
        preferred.StatelessResetToken.CopyTo(value[(25 + preferred.ConnectionId.Length)..]);
        return PreferredAddressFixedLength + preferred.ConnectionId.Length;
    }

    // Writes (or only counts) id/length/value triples.
    private ref struct Writer(Span<byte> destination, bool countOnly)
    {
        private readonly Span<byte> _destination = destination;

        public int Position { get; private set; }

        public void Integer(TransportParameterId id, long value)
        {
            Varint((long)id);
            Varint(VariableLengthInteger.GetLength(value));
            Varint(value);
        }

        public void Bytes(TransportParameterId id, scoped ReadOnlySpan<byte> value)
        {
            Varint((long)id);
            Varint(value.Length);
            if (!countOnly) value.CopyTo(_destination[Position..]);
            Position += value.Length;
        }

        public void Bytes(TransportParameterId id, byte[]? value)
        {
            if (value is not null) Bytes(id, value.AsSpan());
        }

        private void Varint(long value)
        {
            if (countOnly) Position += VariableLengthInteger.GetLength(value);
            else
            {
                VariableLengthInteger.TryWrite(_destination[Position..], value, out int n);
                Position += n;
            }
        }
    }
}
