using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Http3.WebTransport;

namespace RtcClient.Http3;

/// <summary>
/// One request received by <see cref="Http3Server"/>: the request head and a streaming body, and the means to
/// send a streaming response with trailers, or to accept a WebTransport session on an extended CONNECT.
/// </summary>
public sealed class Http3RequestContext
{
    private readonly Http3RequestStream _stream;
    private readonly List<HeaderField> _requestTrailers = [];
    private readonly CancellationTokenSource _aborted;
    private bool _headersSent;
    private bool _completed;
    private long? _contentLength;
    private long _bodyWritten;

    internal Http3RequestContext(Http3RequestStream stream, Http3MessageValidator.RequestHead head, List<HeaderField> headers, string connectionId)
    {
        _stream = stream;
        Method = head.Method;
        Scheme = head.Scheme ?? "https";
        Authority = head.Authority ?? "";
        Path = head.Path ?? "";
        Protocol = head.Protocol;
        Headers = headers;
        ConnectionId = connectionId;
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(stream.Connection.Closing);
        RequestBody = new Http3BodyReadStream(stream, t => _requestTrailers.AddRange(t), ownsRequest: false);
        ResponseBody = new Http3BodyWriteStream(stream, this);
    }

    /// <summary>:method.</summary>
    public string Method { get; }

    /// <summary>:scheme.</summary>
    public string Scheme { get; }

    /// <summary>:authority (or empty).</summary>
    public string Authority { get; }

    /// <summary>:path, including the query.</summary>
    public string Path { get; }

    /// <summary>:protocol of an extended CONNECT (RFC 9220), else null.</summary>
    public string? Protocol { get; }

    /// <summary>All request fields, pseudo-headers first.</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>The request stream ID.</summary>
    public long StreamId => _stream.StreamId;

    /// <summary>An identifier of the connection.</summary>
    public string ConnectionId { get; }

    /// <summary>The connection the request came on.</summary>
    internal Http3Connection Connection => _stream.Connection;

    /// <summary>The client's address.</summary>
    public IPEndPoint? RemoteEndPoint => _stream.Connection.Transport.RemoteEndPoint;

    /// <summary>Our address.</summary>
    public IPEndPoint? LocalEndPoint => _stream.Connection.Transport.LocalEndPoint;

    /// <summary>The client certificate, when one was presented.</summary>
    public X509Certificate2? ClientCertificate => _stream.Connection.Transport.RemoteCertificate;

    /// <summary>The SNI the client sent.</summary>
    public string? HostName => _stream.Connection.Transport.TargetHostName;

    /// <summary>The request body (DATA frames); ends at FIN or trailers.</summary>
    public Stream RequestBody { get; }

    /// <summary>Request trailers, filled once the body was read to its end.</summary>
    public IReadOnlyList<HeaderField> RequestTrailers => _requestTrailers;

    /// <summary>Cancelled when the connection closes or the request is aborted.</summary>
    public CancellationToken RequestAborted => _aborted.Token;

    /// <summary>Status sent with the response headers (default 200).</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>Response fields to send (lowercase names).</summary>
    public List<HeaderField> ResponseHeaders { get; } = [];

    /// <summary>
    /// Response trailers, sent by <see cref="CompleteAsync"/>. Set them before the body reaches a declared
    /// content-length: the stream ends with the last body byte otherwise.
    /// </summary>
    public List<HeaderField> ResponseTrailers { get; } = [];

    /// <summary>The response body: each write is a DATA frame; the first write sends the headers.</summary>
    public Stream ResponseBody { get; }

    /// <summary>True once response headers were sent.</summary>
    public bool HasStarted => _headersSent;

    /// <summary>True for an extended CONNECT asking for WebTransport (either dialect).</summary>
    public bool IsWebTransportRequest => Method == "CONNECT" && Protocol is "webtransport" or "webtransport-h3";

    /// <summary>The WebTransport dialect of the request (meaningful when <see cref="IsWebTransportRequest"/>).</summary>
    public WebTransportDialect WebTransportDialect => Protocol == "webtransport-h3" ? WebTransportDialect.Current : WebTransportDialect.Draft02;

    /// <summary>Protocols offered in WT-Available-Protocols (current dialect), in order.</summary>
    public IReadOnlyList<string> WebTransportAvailableProtocols => ParseProtocols(Header("wt-available-protocols"));

    /// <summary>First value of a request field, or null.</summary>
    public string? Header(string name)
    {
        foreach (var f in Headers)
        {
            if (f.Name == name)
                return f.Value;
        }

        return null;
    }

    /// <summary>Sends the response headers now (status and <see cref="ResponseHeaders"/>).</summary>
    public Task SendHeadersAsync(bool endStream, CancellationToken cancellationToken = default)
        => SendHeadersCoreAsync(ReadOnlyMemory<byte>.Empty, endStream, cancellationToken).AsTask();

    // The headers, and the first body bytes with them when there are any (one write for a small response).
    private async ValueTask SendHeadersCoreAsync(ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        if (_headersSent)
            throw new InvalidOperationException("response headers were already sent");
        _contentLength ??= DeclaredContentLength();
        _headersSent = true;
        var fields = new List<HeaderField>(ResponseHeaders.Count + 1) { new(":status", StatusText(StatusCode)) };
        foreach (var f in ResponseHeaders)
            fields.Add(new(f.Name.ToLowerInvariant(), f.Value));
        await _stream.WriteHeadersAndDataAsync(fields, data, endStream, cancellationToken).ConfigureAwait(false);
        if (endStream)
            _completed = true;
    }

    /// <summary>
    /// Writes response body bytes as a DATA frame: with the headers when they have not gone out, and with FIN when
    /// they complete a declared content-length and no trailers are set (then the response is complete: a small
    /// response is one QUIC write). Writing past the content-length is refused.
    /// </summary>
    internal ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_completed)
            throw new InvalidOperationException("the response is already complete");
        if (!_headersSent)
            _contentLength = DeclaredContentLength();
        if (_bodyWritten + data.Length > _contentLength)
            throw new InvalidOperationException("the response body is longer than its content-length");
        _bodyWritten += data.Length;
        bool last = _bodyWritten == _contentLength && ResponseTrailers.Count == 0;
        if (!_headersSent)
            return SendHeadersCoreAsync(data, last, cancellationToken);
        if (last)
            _completed = true;
        return data.IsEmpty && !last ? ValueTask.CompletedTask : _stream.WriteDataAsync(data, last, cancellationToken);
    }

    private long? DeclaredContentLength()
    {
        foreach (var f in ResponseHeaders)
        {
            if (string.Equals(f.Name, "content-length", StringComparison.OrdinalIgnoreCase))
                return long.TryParse(f.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
        }

        return null;
    }

    private static readonly string?[] s_statusTexts = new string?[600];

    private static string StatusText(int status)
    {
        if (status is < 100 or > 599)
            throw new InvalidOperationException($"status {status.ToString(CultureInfo.InvariantCulture)} is not a valid HTTP status");
        return s_statusTexts[status] ??= status.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Finishes the response: headers if not yet sent, trailers if any, then FIN.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
            return;
        if (!_headersSent)
        {
            await SendHeadersAsync(ResponseTrailers.Count == 0, cancellationToken).ConfigureAwait(false);
            if (_completed)
                return;
        }

        _completed = true;
        if (ResponseTrailers.Count > 0)
            await _stream.WriteHeadersAsync([.. ResponseTrailers.Select(t => new HeaderField(t.Name.ToLowerInvariant(), t.Value))], true, cancellationToken).ConfigureAwait(false);
        else
            await _stream.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resets the request stream with an error code.</summary>
    public void Abort(Http3ErrorCode code = Http3ErrorCode.RequestCancelled)
    {
        _completed = true;
        _stream.Abort(code);
        _aborted.Cancel();
    }

    /// <summary>
    /// Accepts a WebTransport session: answers 200 with the dialect's headers (draft-02:
    /// <c>sec-webtransport-http3-draft: draft02</c>; current: <c>wt-protocol</c> when one is chosen) and returns the
    /// session. Refused with 429 when the connection already has its maximum of sessions.
    /// </summary>
    public async Task<WebTransportSession> AcceptWebTransportSessionAsync(string? protocol = null, CancellationToken cancellationToken = default)
    {
        if (!IsWebTransportRequest)
            throw new InvalidOperationException("not a WebTransport request");
        var session = new WebTransportSession(_stream, WebTransportDialect, protocol);
        if (!_stream.Connection.RegisterSession(session))
        {
            StatusCode = 429;
            await CompleteAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("too many WebTransport sessions on this connection");
        }

        StatusCode = 200;
        DisableBodyTimeout();
        if (WebTransportDialect == WebTransportDialect.Draft02)
            ResponseHeaders.Add(new("sec-webtransport-http3-draft", "draft02"));
        else if (protocol is not null)
            ResponseHeaders.Add(new("wt-protocol", "\"" + protocol + "\""));
        await SendHeadersAsync(false, cancellationToken).ConfigureAwait(false);
        _completed = true;
        IsWebTransportSession = true;
        session.Start();
        return session;
    }

    /// <summary>The request stream carries a long-lived tunnel or session now: its reads may wait indefinitely.</summary>
    internal void DisableBodyTimeout() => _stream.BodyTimeout = TimeSpan.Zero;

    /// <summary>True once a WebTransport session owns the request stream.</summary>
    internal bool IsWebTransportSession { get; private set; }

    internal static IReadOnlyList<string> ParseProtocols(string? value)
    {
        // A Structured Fields list of strings: "a", "b".
        if (string.IsNullOrEmpty(value))
            return [];
        var list = new List<string>();
        foreach (var part in value.Split(','))
        {
            string p = part.Trim();
            int semi = p.IndexOf(';', StringComparison.Ordinal);
            if (semi >= 0)
                p = p[..semi];
            if (p.Length >= 2 && p[0] == '"' && p[^1] == '"')
                list.Add(p[1..^1]);
        }

        return list;
    }
}
