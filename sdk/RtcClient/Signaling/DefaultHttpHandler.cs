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
    });
}
