using RtcClient.Quic.Wire;

namespace RtcClient.Http3.Capsules;

/// <summary>HTTP datagrams in QUIC DATAGRAM frames (RFC 9297 section 2.1): Quarter Stream ID (i), then the payload.</summary>
internal static class HttpDatagram
{
    /// <summary>Writes the prefix for a request stream; returns its length.</summary>
    public static int WritePrefix(Span<byte> destination, long requestStreamId)
    {
        VariableLengthInteger.TryWrite(destination, requestStreamId / 4, out int n);
        return n;
    }

    /// <summary>Prefix length for a request stream.</summary>
    public static int GetPrefixLength(long requestStreamId) => VariableLengthInteger.GetLength(requestStreamId / 4);

    /// <summary>
    /// Splits a received datagram into the request stream ID and payload. A missing prefix or a quarter stream ID
    /// that cannot name a client-initiated bidirectional stream is H3_DATAGRAM_ERROR.
    /// </summary>
    public static long Parse(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> payload)
    {
        if (!VariableLengthInteger.TryRead(datagram, out long quarter, out int n) || quarter > VariableLengthInteger.MaxValue / 4)
            throw new Http3ProtocolException(Http3ErrorCode.DatagramError, "malformed HTTP datagram");
        payload = datagram[n..];
        return quarter * 4;
    }
}
