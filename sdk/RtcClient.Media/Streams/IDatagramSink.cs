namespace RtcClient.Media.Streams;

/// <summary>
/// Where media datagrams go: implemented by the transport (QUIC/WebTransport datagrams) or by the
/// simulated link. Each datagram is a varint flow id followed by one RTP or RTCP packet.
/// </summary>
public interface IDatagramSink
{
    /// <summary>Largest datagram the transport can send now, in bytes (packetizers size payloads to it).</summary>
    int MaxDatagramSize { get; }

    /// <summary>Sends one datagram (copied before returning); false when it was dropped (too large, congested, closed).</summary>
    bool TrySend(ReadOnlySpan<byte> datagram);
}
