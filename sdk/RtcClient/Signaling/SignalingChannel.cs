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
internal sealed class SignalingChannel : IDisposable
{
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

    public async Task<T> GetAsync<T>(string uri, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var timeout = WithTimeout(cancellationToken);
        using var response = await Send(new HttpRequestMessage(HttpMethod.Get, uri), timeout.Token).ConfigureAwait(false);
        return await ReadAsync(response, type, timeout.Token).ConfigureAwait(false);
    }

    public async Task<(T Value, string? Location)> PostAsync<TBody, T>(string uri, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> type, CancellationToken cancellationToken, HttpMethod? method = null)
    {
        using var timeout = WithTimeout(cancellationToken);
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, uri) { Content = JsonContent.Create(body, bodyType) };
        using var response = await Send(request, timeout.Token).ConfigureAwait(false);
        var value = await ReadAsync(response, type, timeout.Token).ConfigureAwait(false);
        return (value, response.Headers.Location?.ToString());
    }

    public async Task DeleteAsync(string uri, CancellationToken cancellationToken)
    {
        using var timeout = WithTimeout(cancellationToken);
        using var response = await Send(new HttpRequestMessage(HttpMethod.Delete, uri), timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads an event stream, reconnecting with Last-Event-ID when it breaks, until the server ends it
    /// after a terminal event (<paramref name="isFinal"/>) or <paramref name="cancellationToken"/> fires.
    /// Gives up after <paramref name="giveUpAfter"/> without a working stream.
    /// </summary>
    public async IAsyncEnumerable<ServerSentEvent> EventsAsync(string uri, Func<ServerSentEvent, bool> isFinal, TimeSpan giveUpAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? lastId = null;
        var backoff = TimeSpan.FromMilliseconds(100);
        long brokenSince = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpResponseMessage? response = null;
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (lastId is not null) request.Headers.TryAddWithoutValidation("Last-Event-ID", lastId);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
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
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested || e.InnerException is TimeoutException)
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

    private CancellationTokenSource WithTimeout(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(RequestTimeout);
        return cts;
    }

    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }
}
