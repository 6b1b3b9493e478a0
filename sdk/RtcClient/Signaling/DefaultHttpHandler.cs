using RtcClient.Http3;

namespace RtcClient.Signaling;

/// <summary>
/// The HTTP stack used when the application gives none: the SDK's own HTTP/3, so signaling and media
/// share one QUIC connection. Certificate pinning by SHA-256 is honoured; otherwise the chain and host
/// name are validated (never skipped).
/// </summary>
internal static class DefaultHttpHandler
{
    public static Http3Handler Create(RtcClientOptions options) => new(new Http3ClientOptions
    {
        PinnedCertificateSha256 = options.PinnedCertificateSha256,
        // One media session per call on this connection: allow as many as a trunk group's calls per client.
        Http3 = new Http3Options { MaxWebTransportSessions = MaxMediaSessions },
    });

    /// <summary>WebTransport sessions per connection (the default trunk group allows 100 calls per client).</summary>
    public const int MaxMediaSessions = 128;
}
