namespace RtcClient.Quic.Frames;

/// <summary>
/// One frame read by <see cref="FrameReader"/>: a view into the decrypted payload, valid while the payload
/// buffer is. Which properties are meaningful depends on <see cref="Type"/> (named after the RFC 9000 fields);
/// the others are zero or empty.
/// </summary>
public readonly ref struct Frame
{
    /// <summary>Frame type, normalized: STREAM variants are <see cref="FrameType.Stream"/>, ACK_ECN is
    /// <see cref="FrameType.Ack"/>, DATAGRAM with length is <see cref="FrameType.Datagram"/>.</summary>
    public FrameType Type { get; internal init; }

    /// <summary>The frame type as on the wire (e.g. 0x0b for STREAM with LEN and FIN), for error reports.</summary>
    public long RawType { get; internal init; }

    /// <summary>Bytes the frame took in the payload (for PADDING, the whole run).</summary>
    public int EncodedLength { get; internal init; }

    /// <summary>Stream ID: RESET_STREAM, STOP_SENDING, STREAM, MAX_STREAM_DATA, STREAM_DATA_BLOCKED.</summary>
    public long StreamId { get; internal init; }

    /// <summary>Offset of <see cref="Data"/> in the stream or crypto stream: STREAM, CRYPTO.</summary>
    public long Offset { get; internal init; }

    /// <summary>
    /// Frame data: STREAM and CRYPTO data, the NEW_TOKEN token, the 8 PATH_CHALLENGE / PATH_RESPONSE bytes,
    /// the DATAGRAM payload.
    /// </summary>
    public ReadOnlySpan<byte> Data { get; internal init; }

    /// <summary>FIN bit of a STREAM frame.</summary>
    public bool Fin { get; internal init; }

    /// <summary>Application Protocol Error Code (RESET_STREAM, STOP_SENDING, CONNECTION_CLOSE 0x1d) or transport Error Code (CONNECTION_CLOSE 0x1c).</summary>
    public long ErrorCode { get; internal init; }

    /// <summary>Final Size of RESET_STREAM.</summary>
    public long FinalSize { get; internal init; }

    /// <summary>
    /// The limit: Maximum Data (MAX_DATA, DATA_BLOCKED), Maximum Stream Data (MAX_STREAM_DATA, STREAM_DATA_BLOCKED),
    /// Maximum Streams (MAX_STREAMS, STREAMS_BLOCKED).
    /// </summary>
    public long Maximum { get; internal init; }

    /// <summary>Sequence Number: NEW_CONNECTION_ID, RETIRE_CONNECTION_ID.</summary>
    public long SequenceNumber { get; internal init; }

    /// <summary>Retire Prior To of NEW_CONNECTION_ID (never above <see cref="SequenceNumber"/>).</summary>
    public long RetirePriorTo { get; internal init; }

    /// <summary>Connection ID of NEW_CONNECTION_ID (1 to 20 bytes).</summary>
    public ReadOnlySpan<byte> ConnectionId { get; internal init; }

    /// <summary>Stateless Reset Token of NEW_CONNECTION_ID (16 bytes).</summary>
    public ReadOnlySpan<byte> StatelessResetToken { get; internal init; }

    /// <summary>Frame Type that triggered a transport CONNECTION_CLOSE (0x1c).</summary>
    public long TriggeringFrameType { get; internal init; }

    /// <summary>Reason Phrase of CONNECTION_CLOSE (UTF-8, not validated).</summary>
    public ReadOnlySpan<byte> ReasonPhrase { get; internal init; }

    /// <summary>Largest Acknowledged of ACK.</summary>
    public long LargestAcknowledged { get; internal init; }

    /// <summary>ACK Delay as encoded; multiply by 2^ack_delay_exponent microseconds.</summary>
    public long AckDelay { get; internal init; }

    /// <summary>First ACK Range of ACK (packets below Largest Acknowledged that are acknowledged).</summary>
    public long FirstAckRange { get; internal init; }

    /// <summary>ACK Range Count of ACK (ranges after the first).</summary>
    public long AckRangeCount { get; internal init; }

    /// <summary>True for ACK_ECN; <see cref="Ecn"/> then holds the counts.</summary>
    public bool HasEcn { get; internal init; }

    /// <summary>ECN counts of ACK_ECN.</summary>
    public EcnCounts Ecn { get; internal init; }

    internal ReadOnlySpan<byte> EncodedAckRanges { get; init; }

    /// <summary>
    /// ACK Delay in microseconds for the peer's ack_delay_exponent (RFC 9000 section 19.3), saturating instead of
    /// overflowing for hostile values.
    /// </summary>
    public long GetAckDelayMicroseconds(int ackDelayExponent)
    {
        if (ackDelayExponent is < 0 or > 20) throw new ArgumentOutOfRangeException(nameof(ackDelayExponent));
        return AckDelay > long.MaxValue >> ackDelayExponent ? long.MaxValue : AckDelay << ackDelayExponent;
    }

    /// <summary>The acknowledged ranges of an ACK frame, largest first (the first one is Largest Acknowledged minus First ACK Range).</summary>
    public AckRangeEnumerator AckRanges => new(LargestAcknowledged, FirstAckRange, EncodedAckRanges);

    /// <summary>Smallest packet number this ACK frame acknowledges.</summary>
    public long SmallestAcknowledged { get; internal init; }
}
