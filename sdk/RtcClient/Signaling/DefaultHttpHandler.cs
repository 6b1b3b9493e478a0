using System.Net.Security;
using System.Security.Cryptography;

namespace RtcClient.Signaling;

/// <summary>
/// The signaling HTTP stack used when the application gives none. Certificate pinning by SHA-256 is
/// honoured; otherwise the platform's chain and host name validation applies (never skipped).
/// </summary>
internal static class DefaultHttpHandler
{
    public static HttpMessageHandler Create(RtcClientOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2), EnableMultipleHttp2Connections = true };
        if (options.PinnedCertificateSha256.Count > 0)
        {
            var pins = options.PinnedCertificateSha256.ToArray();
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null) return false;
                    var hash = SHA256.HashData(certificate.GetRawCertData());
                    return pins.Any(p => CryptographicOperations.FixedTimeEquals(p, hash));
                },
            };
        }
        return handler;
    }
}
