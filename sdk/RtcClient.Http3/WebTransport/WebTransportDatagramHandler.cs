namespace RtcClient.Http3.WebTransport;

/// <summary>
/// Receives a WebTransport session's datagrams as they arrive, on the connection's receiving thread
/// (see <see cref="WebTransportSession.SetDatagramHandler"/>). The span is only valid during the call.
/// </summary>
public delegate void WebTransportDatagramHandler(ReadOnlySpan<byte> datagram);
