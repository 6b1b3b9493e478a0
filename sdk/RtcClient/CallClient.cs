using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RtcClient.Protocol;
using RtcClient.Signaling;

namespace RtcClient;

/// <summary>
/// A client of a call server: connects, registers as <see cref="RtcClientOptions.Name"/> so calls can
/// reach it (even behind NAT: inbound calls arrive on an outbound event stream), places calls and
/// delivers incoming ones.
/// </summary>
/// <example>
/// <code>
/// await using var client = await CallClient.ConnectAsync(new RtcClientOptions
/// {
///     ServerUri = new Uri("https://calls.example.com/"), Token = token, Name = "alice",
/// });
/// await using var call = await client.PlaceCallAsync("bob");
/// await call.WaitForStatusAsync(CallStatus.Answered);
/// </code>
/// </example>
public sealed class CallClient : IAsyncDisposable
{
    private const int IncomingQueueLength = 64;
    private readonly RtcClientOptions _options;
    private readonly ICallSignaling _channel;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<Call> _incoming = Channel.CreateBounded<Call>(new BoundedChannelOptions(IncomingQueueLength) { FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<string, Call> _calls = new(StringComparer.Ordinal);
    private Task? _handlerLoop;
    private Task? _watchdog;
    private int _disposed;

    private CallClient(RtcClientOptions options, ICallSignaling channel, TrunkGroupDocument trunkGroup, HandlerDocument handler, ILogger logger)
    {
        _options = options;
        _channel = channel;
        TrunkGroup = trunkGroup;
        Handler = handler;
        _logger = logger;
    }

    /// <summary>How this client opens media sessions (null when its HTTP stack cannot carry WebTransport).</summary>
    public Media.IMediaTransport? MediaTransport { get; private init; }

    internal RtcClientOptions Options => _options;

    /// <summary>How long an event stream may stay broken before the call (or handler) counts as lost: the trunk group's signalingTimeoutMs.</summary>
    internal TimeSpan SignalingTimeout => TimeSpan.FromMilliseconds(Math.Max(1, TrunkGroup.SignalingTimeoutMs));

    /// <summary>How long an answered call may receive no media: <see cref="RtcClientOptions.MediaTimeout"/>, else the trunk group's mediaTimeoutMs.</summary>
    internal TimeSpan MediaTimeout => _options.MediaTimeout ?? TimeSpan.FromMilliseconds(Math.Max(1, TrunkGroup.MediaTimeoutMs));

    /// <summary>The trunk group this client uses.</summary>
    public TrunkGroupDocument TrunkGroup { get; }

    /// <summary>This client's registered handler.</summary>
    public HandlerDocument Handler { get; private set; }

    /// <summary>The calls this client has that are not disposed.</summary>
    public IReadOnlyCollection<Call> Calls => (IReadOnlyCollection<Call>)_calls.Values;

    /// <summary>Raised for every incoming call (also delivered by <see cref="IncomingCallsAsync"/>).</summary>
    public event EventHandler<Call>? IncomingCall;

    /// <summary>Discovers the server, picks the trunk group and registers the handler.</summary>
    public static Task<CallClient> ConnectAsync(RtcClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = options.HttpHandler ?? DefaultHttpHandler.Create(options);
        var channel = new SignalingChannel(options.ServerUri, options.Token, handler, disposeHandler: options.HttpHandler is null, options.RequestTimeout);
        var media = options.MediaTransport ?? (handler is Http3.Http3Handler h3 ? new Media.WebTransportMediaTransport(h3) : null);
        return ConnectAsync(options, channel, media, cancellationToken);
    }

    /// <summary>Registers over any signaling path (HTTP, or in-process to a server in this process); owns <paramref name="channel"/>.</summary>
    internal static async Task<CallClient> ConnectAsync(RtcClientOptions options, ICallSignaling channel, Media.IMediaTransport? media, CancellationToken cancellationToken)
    {
        var logger = options.LoggerFactory?.CreateLogger<CallClient>() ?? (ILogger)NullLogger.Instance;
        try
        {
            var registration = new HandlerRegistration { Name = options.Name, Advertisement = Media.E2eAdvertisement.Apply(options.Advertisement ?? Advertisements.Default, options) };
            var (tg, document) = await channel.RegisterAsync(options.TrunkGroup, registration, cancellationToken).ConfigureAwait(false);
            var client = new CallClient(options, channel, tg, document, logger) { MediaTransport = media };
            client._handlerLoop = Task.Run(() => client.HandlerLoopAsync(client._stop.Token), CancellationToken.None);
            client._watchdog = Task.Run(() => client.WatchdogAsync(client._stop.Token), CancellationToken.None);
            return client;
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Places a call to <paramref name="destination"/>; returns once the server accepted it (status Proceeding).</summary>
    public async Task<Call> PlaceCallAsync(string destination, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var request = new PlaceCallRequest { Handler = Handler.Uri, Destination = destination, Identity = SignedIdentity(destination, options), Advertisement = options?.Advertisement is { } ad ? Media.E2eAdvertisement.Apply(ad, _options) : null };
        var document = await _channel.PlaceCallAsync(TrunkGroup.Calls, request, cancellationToken).ConfigureAwait(false);
        return Track(document);
    }

    /// <summary>The call's Identity header value: the one given, or a PASSporT signed now with the client's credential.</summary>
    private string? SignedIdentity(string destination, CallOptions? options)
    {
        if (options?.Identity is { } given)
            return given;
        if (_options.StirCredential is not { } credential)
            return null;
        string origin = options?.CallerNumber ?? _options.Name;
        try
        {
            return Identity.PassportSigner.CreateIdentityHeader(credential, origin, [destination], DateTimeOffset.UtcNow, options?.Attestation);
        }
        catch (ArgumentException e)
        {
            throw new RtcException($"the caller ID cannot be signed: {e.Message}", e);
        }
    }

    /// <summary>Incoming calls as they arrive; ends when the client is disposed.</summary>
    public async IAsyncEnumerable<Call> IncomingCallsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_incoming.Reader.TryRead(out var call)) yield return call;
        }
    }

    /// <summary>Replaces this client's advertisement for future calls.</summary>
    public async Task UpdateAdvertisementAsync(Advertisement advertisement, CancellationToken cancellationToken = default)
    {
        var registration = new HandlerRegistration { Name = Handler.Name, Advertisement = Media.E2eAdvertisement.Apply(advertisement, _options) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Handler = await PutAsync(registration, timeout.Token).ConfigureAwait(false);
    }

    private Task<HandlerDocument> PutAsync(HandlerRegistration registration, CancellationToken cancellationToken)
        => _channel.UpdateHandlerAsync(Handler.Uri, registration, cancellationToken);

    /// <summary>Hangs up every call, unregisters and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var call in _calls.Values)
        {
            try { await call.DisposeAsync().ConfigureAwait(false); }
            catch (RtcException e) { _logger.LogDebug(e, "hang-up of {Call} failed", call.Id); }
        }
        try { await _channel.DeleteHandlerAsync(Handler.Uri, CancellationToken.None).ConfigureAwait(false); }
        catch (RtcException e) { _logger.LogDebug(e, "unregistering failed"); }
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var loop in new[] { _handlerLoop, _watchdog })
        {
            if (loop is null) continue;
            try { await loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        _incoming.Writer.TryComplete();
        _channel.Dispose();
        _stop.Dispose();
    }

    internal void Forget(Call call) => _calls.TryRemove(call.Id, out _);

    private Call Track(CallDocument document)
    {
        var call = new Call(this, _channel, document, _logger);
        _calls[call.Id] = call;
        call.StartEvents();
        return call;
    }

    /// <summary>
    /// One timer for all of this client's calls (none per call): each answered call checks that media still
    /// arrives, reopening its media session or ending the call when it does not (docs/protocol.md section 6.6).
    /// </summary>
    private async Task WatchdogAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(MediaTimeout.Ticks / 8, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var call in _calls.Values)
                    call.CheckMedia();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task AlertAsync(Call call, CancellationToken cancellationToken)
    {
        // An answer or decline that overtook 'alerting' makes it illegal (409); the call's state is already newer.
        try { await call.PostAlertingAsync(cancellationToken).ConfigureAwait(false); }
        catch (RtcException e) { _logger.LogDebug(e, "alerting for {Call} not sent", call.Id); }
        catch (OperationCanceledException) { }
    }

    private async Task HandlerLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var sse in _channel.EventsAsync(Handler.Events, _ => false, SignalingTimeout, null, null, cancellationToken).ConfigureAwait(false))
            {
                if (sse.Type != CallEventType.Incoming) continue;
                CallEvent? e;
                try { e = JsonSerializer.Deserialize(sse.Data, RiptJsonContext.Default.CallEvent); }
                catch (JsonException ex)
                {
                    _logger.LogWarning(ex, "malformed incoming-call event ignored");
                    continue;
                }
                if (e?.Call is null || _calls.ContainsKey(e.Call[(e.Call.LastIndexOf('/') + 1)..])) continue;
                // Only follow call URIs of our own trunk group on our own server: the token must never go elsewhere.
                if (!e.Call.StartsWith(TrunkGroup.Calls + "/", StringComparison.Ordinal) || e.Call.Contains("..", StringComparison.Ordinal))
                {
                    _logger.LogWarning("incoming-call event with a foreign call URI ignored: {Uri}", e.Call);
                    continue;
                }
                try
                {
                    // A server that sends the leg's document with the event saves the GET round trip.
                    var document = e.Document is { } sent && sent.Uri == e.Call ? sent
                        : await _channel.GetCallAsync(e.Call, cancellationToken).ConfigureAwait(false);
                    if (document.State is CallState.Ended) continue;
                    var call = Track(document);
                    if (!_incoming.Writer.TryWrite(call))
                    {
                        // The application is not taking calls as fast as they come: refuse rather than queue without bound.
                        await call.RejectAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    // Not awaited: the application can answer while 'alerting' is in flight (a round trip saved).
                    if (_options.AutoAlert) _ = AlertAsync(call, cancellationToken);
                    SafeEvent.Raise(IncomingCall, this, call, _logger, nameof(IncomingCall));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "incoming call {Call} could not be taken", e.Call);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (RtcException ex)
        {
            _logger.LogError(ex, "the handler's event stream is lost; no more incoming calls");
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }
}
