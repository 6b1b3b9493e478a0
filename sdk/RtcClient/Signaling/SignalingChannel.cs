using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RtcClient.Protocol;

namespace RtcClient.Signaling;

/// <summary>
/// Typed requests of the protocol over one HttpClient: bearer token on every request, problem+json
/// turned into <see cref="RtcException"/>, and server-sent event streams with Last-Event-ID resume.
/// </summary>
internal sealed class SignalingChannel : ICallSignaling
{
    private const string RiptWellKnown = "/.well-known/ript";

    private readonly HttpClient _http;
    private readonly bool _ownsClient;

    public SignalingChannel(Uri baseUri, string token, HttpMessageHandler handler, bool disposeHandler, TimeSpan requestTimeout)
    {
        _http = new HttpClient(handler, disposeHandler) { BaseAddress = baseUri, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        RequestTimeout = requestTimeout;
        _ownsClient = true;
    }

    public TimeSpan RequestTimeout { get; }

    public async Task<(TrunkGroupDocument TrunkGroup, HandlerDocument Handler)> RegisterAsync(string? trunkGroup, HandlerRegistration registration, CancellationToken cancellationToken)
    {
        var discovery = await GetAsync(RiptWellKnown, RiptJsonContext.Default.DiscoveryDocument, cancellationToken).ConfigureAwait(false);
        if (!discovery.Versions.Contains("1"))
            throw new RtcException($"the server speaks protocol versions [{string.Join(", ", discovery.Versions)}], not 1");
        var groups = await GetAsync(discovery.TrunkGroups, RiptJsonContext.Default.TrunkGroupList, cancellationToken).ConfigureAwait(false);
        var reference = trunkGroup is null ? (groups.TrunkGroups.Count > 0 ? groups.TrunkGroups[0] : null) : groups.TrunkGroups.FirstOrDefault(t => t.Id == trunkGroup);
        if (reference is null) throw new RtcException(trunkGroup is null ? "the server offers no trunk group to this client" : $"the server offers no trunk group '{trunkGroup}'");
        var tg = await GetAsync(reference.Uri, RiptJsonContext.Default.TrunkGroupDocument, cancellationToken).ConfigureAwait(false);
        var (handler, _) = await PostAsync(tg.Handlers, registration, RiptJsonContext.Default.HandlerRegistration, RiptJsonContext.Default.HandlerDocument, cancellationToken).ConfigureAwait(false);
        return (tg, handler);
    }

    public async Task<HandlerDocument> UpdateHandlerAsync(string handlerUri, HandlerRegistration registration, CancellationToken cancellationToken)
        => (await PostAsync(handlerUri, registration, RiptJsonContext.Default.HandlerRegistration, RiptJsonContext.Default.HandlerDocument, cancellationToken, HttpMethod.Put).ConfigureAwait(false)).Value;

    public Task DeleteHandlerAsync(string handlerUri, CancellationToken cancellationToken) => DeleteAsync(handlerUri, cancellationToken);

    public async Task<CallDocument> PlaceCallAsync(string callsUri, PlaceCallRequest request, CancellationToken cancellationToken)
        => (await PostAsync(callsUri, request, RiptJsonContext.Default.PlaceCallRequest, RiptJsonContext.Default.CallDocument, cancellationToken).ConfigureAwait(false)).Value;

    public Task<CallDocument> GetCallAsync(string callUri, CancellationToken cancellationToken) => GetAsync(callUri, RiptJsonContext.Default.CallDocument, cancellationToken);

    public async Task<CallDocument> PostEventAsync(string callUri, CallEvent e, CancellationToken cancellationToken)
        => (await PostAsync(callUri + "/events", e, RiptJsonContext.Default.CallEvent, RiptJsonContext.Default.CallDocument, cancellationToken).ConfigureAwait(false)).Value;

    private Task<T> GetAsync<T>(string uri, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        => WithTimeoutAsync(HttpMethod.Get, uri, async token =>
        {
            using var response = await Send(new HttpRequestMessage(HttpMethod.Get, uri), token).ConfigureAwait(false);
            return await ReadAsync(response, type, token).ConfigureAwait(false);
        }, cancellationToken);

    private Task<(T Value, string? Location)> PostAsync<TBody, T>(string uri, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> type, CancellationToken cancellationToken, HttpMethod? method = null)
        => WithTimeoutAsync(method ?? HttpMethod.Post, uri, async token =>
        {
            var request = new HttpRequestMessage(method ?? HttpMethod.Post, uri) { Content = JsonContent.Create(body, bodyType) };
            using var response = await Send(request, token).ConfigureAwait(false);
            var value = await ReadAsync(response, type, token).ConfigureAwait(false);
            return (value, response.Headers.Location?.ToString());
        }, cancellationToken);

    private Task DeleteAsync(string uri, CancellationToken cancellationToken)
        => WithTimeoutAsync(HttpMethod.Delete, uri, async token =>
        {
            using var response = await Send(new HttpRequestMessage(HttpMethod.Delete, uri), token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Runs one request under <see cref="RequestTimeout"/>; running out of time is an <see cref="RtcException"/>, the caller's cancellation is not.</summary>
    private async Task<T> WithTimeoutAsync<T>(HttpMethod method, string uri, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await send(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RtcException($"{method} {uri} timed out after {RequestTimeout.TotalSeconds:0.#} s", e);
        }
    }

    /// <summary>
    /// Reads an event stream, reconnecting with Last-Event-ID when it breaks, until the server ends it
    /// after a terminal event (<paramref name="isFinal"/>) or <paramref name="cancellationToken"/> fires.
    /// Gives up after <paramref name="giveUpAfter"/> without a working stream.
    /// </summary>
    public async IAsyncEnumerable<ServerSentEvent> EventsAsync(string uri, Func<ServerSentEvent, bool> isFinal, TimeSpan giveUpAfter,
        string? lastEventId, Action? connected, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? lastId = lastEventId;
        var backoff = TimeSpan.FromMilliseconds(100);
        long brokenSince = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpResponseMessage? response = null;
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (lastId is not null) request.Headers.TryAddWithoutValidation("Last-Event-ID", lastId);
            // Each attempt to open the stream is bounded (a server that is gone may never answer a connect);
            // once it is open, only the caller's token ends it.
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var left = giveUpAfter - Stopwatch.GetElapsedTime(brokenSince);
            attempt.CancelAfter(TimeSpan.FromTicks(Math.Clamp(left.Ticks, TimeSpan.FromMilliseconds(100).Ticks, RequestTimeout.Ticks)));
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
                attempt.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
            if (response is not null && !response.IsSuccessStatusCode)
            {
                int status = (int)response.StatusCode;
                if (status >= 500 || status == 429)
                {
                    // A restarting server or a proxy in between: try again within the give-up window.
                    response.Dispose();
                    response = null;
                }
                else
                {
                    var problem = await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
                    response.Dispose();
                    throw problem;
                }
            }
            if (response is not null)
            {
                connected?.Invoke();
                using (response)
                {
                    var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    var events = ServerSentEventReader.ReadAsync(stream, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    try
                    {
                        while (true)
                        {
                            bool more;
                            try { more = await events.MoveNextAsync().ConfigureAwait(false); }
                            catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException && !cancellationToken.IsCancellationRequested) { break; }
                            if (!more) break;
                            brokenSince = Stopwatch.GetTimestamp();
                            backoff = TimeSpan.FromMilliseconds(100);
                            if (events.Current.Id is not null) lastId = events.Current.Id;
                            yield return events.Current;
                            if (isFinal(events.Current)) yield break;
                        }
                    }
                    finally
                    {
                        await events.DisposeAsync().ConfigureAwait(false);
                    }
                }
                // The give-up window runs from when the stream broke, not from its last event (an idle stream is healthy).
                brokenSince = Stopwatch.GetTimestamp();
            }
            if (Stopwatch.GetElapsedTime(brokenSince) > giveUpAfter)
                throw new RtcException($"the event stream {uri} could not be restored");
            await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RtcException($"{request.Method} {request.RequestUri} failed: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new RtcException($"{request.Method} {request.RequestUri} timed out", e);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new RtcException($"{response.RequestMessage?.RequestUri}: empty response body");
        }
        catch (JsonException e)
        {
            throw new RtcException($"{response.RequestMessage?.RequestUri}: the server sent malformed JSON", e);
        }
    }

    private static async Task<RtcException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Problem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType == Problem.MediaType)
        {
            try { problem = await response.Content.ReadFromJsonAsync(RiptJsonContext.Default.Problem, cancellationToken).ConfigureAwait(false); }
            catch (JsonException) { }
        }
        problem ??= new Problem { Type = "about:blank", Title = response.ReasonPhrase ?? "error", Status = (int)response.StatusCode };
        var where = response.RequestMessage is { } m ? $"{m.Method} {m.RequestUri}" : "request";
        return new RtcException($"{where}: {(int)response.StatusCode} {problem.Title}{(problem.Detail is null ? "" : ": " + problem.Detail)}", problem);
    }


    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }
}
