using Microsoft.Extensions.Logging;
using RtcClient.Media;
using RtcClient.Protocol;

namespace RtcClient;

/// <summary>How a <see cref="CallClient"/> reaches its server and who it is.</summary>
public sealed class RtcClientOptions
{
    /// <summary>The server's base URI, e.g. https://calls.example.com/.</summary>
    public required Uri ServerUri { get; set; }

    /// <summary>The bearer token (RFC 6750) sent with every request.</summary>
    public required string Token { get; set; }

    /// <summary>The address this client takes calls at (registered as its handler's name).</summary>
    public required string Name { get; set; }

    /// <summary>Trunk group id; null picks the first the server offers.</summary>
    public string? TrunkGroup { get; set; }

    /// <summary>What this device can send and receive; null uses <see cref="Advertisements.Default"/>.</summary>
    public Advertisement? Advertisement { get; set; }

    /// <summary>
    /// When non-empty, the server certificate is accepted only if its SHA-256 hash is listed (like
    /// WebTransport's serverCertificateHashes); otherwise the chain and host name are validated.
    /// </summary>
    public IReadOnlyList<byte[]> PinnedCertificateSha256 { get; set; } = [];

    /// <summary>
    /// The HTTP stack for signaling. Null uses the SDK's HTTP/3 handler; any other handler (HTTP/2,
    /// HTTP/1.1, a proxy) works for signaling, since it is plain HTTP.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>How media sessions are opened; null uses WebTransport on the signaling connection.</summary>
    public IMediaTransport? MediaTransport { get; set; }

    /// <summary>The clock that drives media streams; null uses <see cref="Media.Clock.MediaClock.Shared"/> (one per process).</summary>
    public Media.Clock.IMediaClock? MediaClock { get; set; }

    /// <summary>
    /// Keys for end-to-end media encryption (SFrame, RFC 9605). When set, the advertisement offers every
    /// supported SFrame suite and calls whose directive has <c>e2e</c> encrypt each media frame.
    /// </summary>
    public SFrame.ISFrameKeyProvider? SFrameKeyProvider { get; set; }

    /// <summary>Refuse calls without end-to-end encryption: such a call never sends or plays clear media.</summary>
    public bool E2eRequired { get; set; }

    /// <summary>
    /// Signs the caller ID of every outgoing call (STIR/SHAKEN, RFC 8224/8225/8588): each call carries
    /// a PASSporT from <see cref="Name"/> (or <see cref="CallOptions.CallerNumber"/>) to the destination,
    /// signed with this credential, as its <c>identity</c>. Null sends none unless a call passes one.
    /// </summary>
    public Identity.StirSigningCredential? StirCredential { get; set; }

    /// <summary>Send 'alerting' as soon as an incoming call is delivered.</summary>
    public bool AutoAlert { get; set; } = true;

    /// <summary>Timeout of each signaling request, and of opening a migrated call's event stream at its new URI.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long an answered call may receive no media before this client ends it (reason media-timeout),
    /// having tried to reopen its media session after half of it. Null uses the trunk group's mediaTimeoutMs.
    /// </summary>
    public TimeSpan? MediaTimeout { get; set; }

    /// <summary>Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
