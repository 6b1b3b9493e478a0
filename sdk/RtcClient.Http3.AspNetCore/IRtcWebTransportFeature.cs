using RtcClient.Http3.WebTransport;

namespace RtcClient.Http3.AspNetCore;

/// <summary>
/// Our WebTransport feature: accepts the session as a <see cref="WebTransportSession"/>, which adds datagrams,
/// bidirectional streams opened by the server, WT_CLOSE_SESSION and drain to what IHttpWebTransportFeature offers.
/// </summary>
public interface IRtcWebTransportFeature
{
    /// <summary>True for an extended CONNECT asking for WebTransport (either dialect).</summary>
    bool IsWebTransportRequest { get; }

    /// <summary>Protocols the client offered in WT-Available-Protocols (current dialect).</summary>
    IReadOnlyList<string> AvailableProtocols { get; }

    /// <summary>Accepts the session (once; later calls return the same session).</summary>
    Task<WebTransportSession> AcceptAsync(string? protocol = null, CancellationToken cancellationToken = default);
}
