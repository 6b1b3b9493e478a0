namespace RtcClient.Server.Identity;

/// <summary>Bounds of <see cref="HttpStirCertificateResolver"/>.</summary>
public sealed class HttpStirCertificateResolverOptions
{
    /// <summary>The HTTP stack; null uses a <see cref="SocketsHttpHandler"/> that follows at most 3 redirects.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Largest response accepted (a SHAKEN chain is 2 to 4 KiB).</summary>
    public int MaxResponseBytes { get; init; } = 32 * 1024;

    /// <summary>How long one fetch may take in all (connect, TLS, response).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a fetched chain is reused.</summary>
    public TimeSpan CacheLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most chains cached at once; beyond it, expired ones are dropped, then fetches go uncached.</summary>
    public int MaxCacheEntries { get; init; } = 1024;

    /// <summary>Only fetch https URIs (RFC 8224 section 7.4); plain http only for tests when false.</summary>
    public bool RequireHttps { get; init; } = true;

    /// <summary>
    /// Which URIs may be fetched, e.g. only the certificate repositories of the ecosystem: the URI
    /// comes from the caller, so an open server should not fetch from its own network. Null allows any.
    /// </summary>
    public Func<Uri, bool>? AllowUri { get; init; }

    /// <summary>Clock of the cache.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
