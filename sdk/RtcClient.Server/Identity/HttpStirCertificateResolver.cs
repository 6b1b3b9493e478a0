using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace RtcClient.Server.Identity;

/// <summary>
/// Fetches STIR certificate chains over HTTPS (RFC 8224 section 7.4; a PEM chain, leaf first, as
/// SHAKEN serves them, or one DER certificate), bounded in size and time, and caches them by URI.
/// Concurrent requests for the same URI share one fetch; a failed fetch is not cached.
/// </summary>
public sealed class HttpStirCertificateResolver : IStirCertificateResolver, IDisposable
{
    private const string PemMarker = "-----BEGIN CERTIFICATE-----";

    private readonly HttpStirCertificateResolverOptions _options;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private long _fetches;

    /// <summary>Creates the resolver.</summary>
    public HttpStirCertificateResolver(HttpStirCertificateResolverOptions? options = null)
    {
        _options = options ?? new HttpStirCertificateResolverOptions();
        var handler = _options.Handler ?? new SocketsHttpHandler { MaxAutomaticRedirections = 3, ConnectTimeout = _options.Timeout };
        _http = new HttpClient(handler, disposeHandler: _options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>HTTP fetches made so far (cache misses).</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    /// <inheritdoc />
    public async ValueTask<X509Certificate2Collection> ResolveAsync(Uri info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!info.IsAbsoluteUri || !(info.Scheme == Uri.UriSchemeHttps || (!_options.RequireHttps && info.Scheme == Uri.UriSchemeHttp)))
            throw new StirCertificateException($"'{info}' is not an https URI");
        if (_options.AllowUri is { } allow && !allow(info))
            throw new StirCertificateException($"'{info}' is not an allowed certificate repository");
        string key = info.AbsoluteUri;
        long now = _options.Time.GetTimestamp();
        var entry = _cache.TryGetValue(key, out var cached) && !cached.IsExpired(now) ? cached : null;
        if (entry is null)
        {
            var fresh = new Entry(new Lazy<Task<X509Certificate2Collection>>(() => FetchAsync(info)), now + Ticks(_options.CacheLifetime));
            entry = fresh;
            if (_cache.Count < _options.MaxCacheEntries || Evict(now))
                entry = _cache.AddOrUpdate(key, fresh, (_, old) => old.IsExpired(now) || old.Fetch.Value.IsFaulted ? fresh : old);
        }
        try
        {
            return await entry.Fetch.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StirCertificateException)
        {
            _cache.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed.Cancel();
        _http.Dispose();
        _disposed.Dispose();
    }

    private long Ticks(TimeSpan t) => (long)(t.TotalSeconds * _options.Time.TimestampFrequency);

    private bool Evict(long now)
    {
        foreach (var (key, entry) in _cache)
        {
            if (entry.IsExpired(now))
                _cache.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
        return _cache.Count < _options.MaxCacheEntries;
    }

    // Runs without the caller's token: one caller giving up must not fail the others sharing the fetch.
    private async Task<X509Certificate2Collection> FetchAsync(Uri info)
    {
        Interlocked.Increment(ref _fetches);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, info);
            request.Headers.Accept.ParseAdd("application/pem-certificate-chain");
            request.Headers.Accept.ParseAdd("application/pkix-cert;q=0.5");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new StirCertificateException($"{info} answered {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
                throw new StirCertificateException($"{info} sent {response.Content.Headers.ContentLength} bytes, larger than the {_options.MaxResponseBytes}-byte bound");
            var body = await ReadBoundedAsync(response.Content, timeout.Token).ConfigureAwait(false);
            return Parse(body, info);
        }
        catch (OperationCanceledException e)
        {
            throw new StirCertificateException($"fetching {info} took longer than {_options.Timeout.TotalMilliseconds} ms", e);
        }
        catch (Exception e) when (e is not (StirCertificateException or OutOfMemoryException))
        {
            throw new StirCertificateException($"fetching {info} failed: {e.Message}", e);
        }
    }

    private async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[_options.MaxResponseBytes + 1];
            int length = 0;
            while (length < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    break;
                length += n;
            }
            if (length > _options.MaxResponseBytes)
                throw new StirCertificateException($"the certificate response is larger than {_options.MaxResponseBytes} bytes");
            return buffer[..length];
        }
    }

    private static X509Certificate2Collection Parse(byte[] body, Uri info)
    {
        try
        {
            var chain = new X509Certificate2Collection();
            string text = Encoding.ASCII.GetString(body);
            if (text.Contains(PemMarker, StringComparison.Ordinal))
                chain.ImportFromPem(text);
            else if (body.Length > 0)
                chain.Add(X509CertificateLoader.LoadCertificate(body));
            if (chain.Count == 0)
                throw new StirCertificateException($"{info} holds no certificate");
            return chain;
        }
        catch (CryptographicException e)
        {
            throw new StirCertificateException($"{info} does not hold certificates: {e.Message}", e);
        }
    }

    private sealed record Entry(Lazy<Task<X509Certificate2Collection>> Fetch, long ExpiresTicks)
    {
        public bool IsExpired(long now) => now >= ExpiresTicks;
    }
}
