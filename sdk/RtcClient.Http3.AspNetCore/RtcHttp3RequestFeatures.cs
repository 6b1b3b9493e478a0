using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using RtcClient.Http3.WebTransport;

namespace RtcClient.Http3.AspNetCore;

// ASP.NET Core marks IHttpWebTransportFeature as preview; this server implements it deliberately.
#pragma warning disable CA2252

/// <summary>The ASP.NET Core features of one HTTP/3 request, backed by an <see cref="Http3RequestContext"/>.</summary>
internal sealed class RtcHttp3RequestFeatures :
    IHttpRequestFeature, IHttpResponseFeature, IHttpResponseBodyFeature, IHttpRequestBodyDetectionFeature,
    IHttpRequestLifetimeFeature, IHttpConnectionFeature, ITlsConnectionFeature, IHttpRequestTrailersFeature,
    IHttpResponseTrailersFeature, IHttpRequestIdentifierFeature, IHttpExtendedConnectFeature, IHttpWebTransportFeature,
    IRtcWebTransportFeature, IDisposable
{
    private readonly Http3RequestContext _context;
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private readonly ResponseStream _responseStream;
    private PipeWriter? _writer;
    private Task<WebTransportSession>? _session;
    private bool _started;

    public RtcHttp3RequestFeatures(Http3RequestContext context)
    {
        _context = context;
        Method = context.Method;
        Scheme = context.Scheme;
        string target = context.Path;
        RawTarget = target;
        int q = target.IndexOf('?', StringComparison.Ordinal);
        Path = Uri.UnescapeDataString(q >= 0 ? target[..q] : target);
        QueryString = q >= 0 ? target[q..] : "";
        foreach (var f in context.Headers)
        {
            if (f.Name == ":authority")
                Headers.Host = f.Value;
            else if (!f.Name.StartsWith(':'))
                Headers.Append(f.Name, f.Value);
        }

        Body = context.RequestBody;
        _responseStream = new ResponseStream(this);
        TraceIdentifier = context.ConnectionId + ":" + context.StreamId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        RequestAborted = context.RequestAborted;
    }

    // ---- IHttpRequestFeature ----
    public string Protocol { get; set; } = "HTTP/3";
    public string Scheme { get; set; }
    public string Method { get; set; }
    public string PathBase { get; set; } = "";
    public string Path { get; set; }
    public string QueryString { get; set; }
    public string RawTarget { get; set; }
    IHeaderDictionary IHttpRequestFeature.Headers { get => Headers; set => Headers = value; }
    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();
    public Stream Body { get; set; }

    // ---- IHttpRequestBodyDetectionFeature ----
    public bool CanHaveBody => Method is not ("GET" or "HEAD" or "DELETE" or "OPTIONS" or "TRACE") || Headers.ContentLength > 0;

    // ---- IHttpResponseFeature ----
    public int StatusCode { get; set; } = 200;
    public string? ReasonPhrase { get; set; }
    IHeaderDictionary IHttpResponseFeature.Headers { get => ResponseHeaders; set => ResponseHeaders = value; }
    public IHeaderDictionary ResponseHeaders { get; set; } = new HeaderDictionary();
    [Obsolete("Use IHttpResponseBodyFeature.")]
    Stream IHttpResponseFeature.Body { get => _responseStream; set => throw new NotSupportedException(); }
    public bool HasStarted => _started;
    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Insert(0, (callback, state));
    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Insert(0, (callback, state));

    // ---- IHttpResponseBodyFeature ----
    public Stream Stream => _responseStream;
    public PipeWriter Writer => _writer ??= PipeWriter.Create(_responseStream, new StreamPipeWriterOptions(leaveOpen: true));
    public void DisableBuffering() { }
    public Task StartAsync(CancellationToken cancellationToken = default) => EnsureStartedAsync(cancellationToken);

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        file.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[64 * 1024];
        long left = count ?? long.MaxValue;
        int n;
        while (left > 0 && (n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            await _responseStream.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            left -= n;
        }
    }

    public async Task CompleteAsync()
    {
        if (_writer is not null)
            await _writer.FlushAsync().ConfigureAwait(false);
        // Headers not sent yet go out with the FIN (or the trailers) in one write.
        await PrepareHeadersAsync().ConfigureAwait(false);
        foreach (var t in ResponseTrailers)
        {
            foreach (var v in t.Value)
                _context.ResponseTrailers.Add(new(t.Key.ToLowerInvariant(), v ?? ""));
        }

        await _context.CompleteAsync().ConfigureAwait(false);
    }

    // ---- IHttpRequestLifetimeFeature ----
    public CancellationToken RequestAborted { get; set; }
    public void Abort() => _context.Abort();

    // ---- IHttpConnectionFeature ----
    public string ConnectionId { get => _context.ConnectionId; set { } }
    public IPAddress? RemoteIpAddress { get => _context.RemoteEndPoint?.Address; set { } }
    public IPAddress? LocalIpAddress { get => _context.LocalEndPoint?.Address; set { } }
    public int RemotePort { get => _context.RemoteEndPoint?.Port ?? 0; set { } }
    public int LocalPort { get => _context.LocalEndPoint?.Port ?? 0; set { } }

    // ---- ITlsConnectionFeature ----
    public X509Certificate2? ClientCertificate { get => _context.ClientCertificate; set { } }
    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

    // ---- trailers ----
    public bool Available => _context.RequestTrailers.Count > 0;

    IHeaderDictionary IHttpRequestTrailersFeature.Trailers
    {
        get
        {
            var h = new HeaderDictionary();
            foreach (var t in _context.RequestTrailers)
                h.Append(t.Name, t.Value);
            return h;
        }
    }

    public IHeaderDictionary ResponseTrailers { get; set; } = new HeaderDictionary();
    IHeaderDictionary IHttpResponseTrailersFeature.Trailers { get => ResponseTrailers; set => ResponseTrailers = value; }

    // ---- IHttpRequestIdentifierFeature ----
    public string TraceIdentifier { get; set; }

    // ---- IHttpExtendedConnectFeature (RFC 9220) ----
    public bool IsExtendedConnect => _context.Method == "CONNECT" && _context.Protocol is not null;
    string? IHttpExtendedConnectFeature.Protocol => _context.Protocol;

    public async ValueTask<Stream> AcceptAsync()
    {
        StatusCode = 200;
        _context.DisableBodyTimeout();
        await EnsureStartedAsync(default).ConfigureAwait(false);
        return new ConnectStream(_context.RequestBody, _responseStream);
    }

    // ---- WebTransport ----
    public bool IsWebTransportRequest => _context.IsWebTransportRequest;
    public IReadOnlyList<string> AvailableProtocols => _context.WebTransportAvailableProtocols;

    public Task<WebTransportSession> AcceptAsync(string? protocol = null, CancellationToken cancellationToken = default)
    {
        if (_session is null)
        {
            _started = true;
            _session = _context.AcceptWebTransportSessionAsync(protocol, cancellationToken);
        }

        return _session;
    }

    async ValueTask<IWebTransportSession> IHttpWebTransportFeature.AcceptAsync(CancellationToken cancellationToken)
        => new WebTransportSessionAdapter(await AcceptAsync(null, cancellationToken).ConfigureAwait(false));

    /// <summary>The session, when one was accepted: the request must not complete the stream then.</summary>
    public WebTransportSession? Session => _session is { IsCompletedSuccessfully: true } ? _session.Result : null;

    public void Dispose() => _responseStream.Dispose();

    internal async Task RunOnCompletedAsync()
    {
        foreach (var (callback, state) in _onCompleted)
        {
            try
            {
                await callback(state).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // OnCompleted callbacks must not break the server.
            }
        }
    }

    // The response starts: OnStarting callbacks run and the headers are handed to the HTTP/3 response, which sends
    // them with the first body bytes (or the FIN) unless they are flushed on their own.
    private async Task PrepareHeadersAsync()
    {
        if (_started)
            return;
        foreach (var (callback, state) in _onStarting)
            await callback(state).ConfigureAwait(false);
        _started = true;
        _context.StatusCode = StatusCode;
        foreach (var h in ResponseHeaders)
        {
            foreach (var v in h.Value)
                _context.ResponseHeaders.Add(new(h.Key.ToLowerInvariant(), v ?? ""));
        }
    }

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        await PrepareHeadersAsync().ConfigureAwait(false);
        if (!_context.HasStarted)
            await _context.SendHeadersAsync(false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The response body: the first write starts the response.</summary>
    private sealed class ResponseStream(RtcHttp3RequestFeatures owner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await owner.PrepareHeadersAsync().ConfigureAwait(false);
            await owner._context.ResponseBody.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => owner.EnsureStartedAsync(cancellationToken);
        public override void Flush() => FlushAsync(default).GetAwaiter().GetResult();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>An accepted extended CONNECT tunnel: reads the request body, writes the response body.</summary>
    private sealed class ConnectStream(Stream input, Stream output) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => input.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => input.ReadAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => output.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => output.WriteAsync(buffer, offset, count, cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);
        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);
        public override void Flush() => output.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
