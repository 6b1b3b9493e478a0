using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RtcClient.Protocol;
using RtcClient.Server.Auth;
using RtcClient.Server.Calls;
using RtcClient.Server.Hosting;
using RtcClient.Signaling;

namespace RtcClient.Server.Tests.Endpoints;

/// <summary>The call server on Kestrel over loopback TCP, with tokens for alice, bob and carol.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public CallRegistry Registry => _app.Services.GetRequiredService<CallRegistry>();

    public IServiceProvider Services => _app.Services;

    public static async Task<TestServer> StartAsync(Action<RiptServerOptions>? configure = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddRipt(new StaticTokenValidator(new Dictionary<string, string>
        {
            ["alice-token"] = "alice", ["bob-token"] = "bob", ["carol-token"] = "carol",
        }), configure);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRipt();
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // As RiptServerHost does: the instance is named by its address, the base of migrate targets.
        app.Services.GetRequiredService<CallRegistry>().InstanceUri ??= new Uri(address);
        return new TestServer(app, new Uri(address));
    }

    public HttpClient Client(string? token)
    {
        var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(20) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    public static Advertisement G711 => new()
    {
        Audio = new MediaCapabilities
        {
            Send = [new() { Codec = "PCMU" }, new() { Codec = "PCMA" }, new() { Codec = "telephone-event" }],
            Receive = [new() { Codec = "PCMU" }, new() { Codec = "PCMA" }, new() { Codec = "telephone-event" }],
        },
    };

    public static Advertisement Opus => new()
    {
        Audio = new MediaCapabilities
        {
            Send = [new() { Codec = "opus", Channels = 1, Ptime = [20] }, new() { Codec = "PCMU" }, new() { Codec = "telephone-event" }],
            Receive = [new() { Codec = "opus", Channels = 1, Ptime = [20] }, new() { Codec = "PCMU" }, new() { Codec = "telephone-event" }],
        },
    };

    public static async Task<HandlerDocument> RegisterAsync(HttpClient http, string name, Advertisement? ad = null)
    {
        var response = await http.PostAsJsonAsync("/.well-known/ript/v1/tgs/default/handlers",
            new HandlerRegistration { Name = name, Advertisement = ad ?? G711 }, RiptJsonContext.Default.HandlerRegistration).ConfigureAwait(false);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        return (await response.Content.ReadFromJsonAsync(RiptJsonContext.Default.HandlerDocument).ConfigureAwait(false))!;
    }

    public static async Task<CallDocument> PlaceAsync(HttpClient http, HandlerDocument handler, string destination)
    {
        var response = await http.PostAsJsonAsync("/.well-known/ript/v1/tgs/default/calls",
            new PlaceCallRequest { Handler = handler.Uri, Destination = destination }, RiptJsonContext.Default.PlaceCallRequest).ConfigureAwait(false);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        return (await response.Content.ReadFromJsonAsync(RiptJsonContext.Default.CallDocument).ConfigureAwait(false))!;
    }

    public static Task<HttpResponseMessage> PostEventAsync(HttpClient http, string callUri, CallEvent e)
        => http.PostAsJsonAsync(callUri + "/events", e, RiptJsonContext.Default.CallEvent);

    /// <summary>Opens an event stream and hands back the events as they come; resumes after <paramref name="lastEventId"/> when given.</summary>
    public static async Task<EventStream> OpenEventsAsync(HttpClient http, string uri, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } id) request.Headers.TryAddWithoutValidation("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return new EventStream(response);
    }

    public static async Task<Problem> ProblemAsync(HttpResponseMessage response)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(Problem.MediaType));
        return (await response.Content.ReadFromJsonAsync(RiptJsonContext.Default.Problem).ConfigureAwait(false))!;
    }

    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}

/// <summary>A server-sent event stream read in the background.</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<ServerSentEvent> _events;
    private readonly CancellationTokenSource _cts = new();

    public EventStream(HttpResponseMessage response)
    {
        _response = response;
        _events = ServerSentEventReader.ReadAsync(response.Content.ReadAsStream(), _cts.Token).GetAsyncEnumerator(_cts.Token);
    }

    /// <summary>The next event, or a timeout failure.</summary>
    public async Task<CallEvent> NextAsync(TimeSpan? timeout = null)
    {
        var move = _events.MoveNextAsync().AsTask();
        if (await Task.WhenAny(move, Task.Delay(timeout ?? TimeSpan.FromSeconds(10))).ConfigureAwait(false) != move)
            Assert.Fail("no event within the timeout");
        Assert.That(await move.ConfigureAwait(false), Is.True, "the event stream ended");
        return JsonSerializer.Deserialize(_events.Current.Data, RiptJsonContext.Default.CallEvent)!;
    }

    /// <summary>Reads events until one of <paramref name="type"/> arrives.</summary>
    public async Task<CallEvent> NextOfTypeAsync(string type)
    {
        for (int i = 0; i < 20; i++)
        {
            var e = await NextAsync().ConfigureAwait(false);
            if (e.Type == type) return e;
        }
        Assert.Fail($"no '{type}' event");
        return null!;
    }

    /// <summary>True when the server ends the stream within the timeout.</summary>
    public async Task<bool> EndsAsync(TimeSpan timeout)
    {
        var deadline = Task.Delay(timeout);
        while (true)
        {
            var move = _events.MoveNextAsync().AsTask();
            if (await Task.WhenAny(move, deadline).ConfigureAwait(false) != move) return false;
            if (!await move.ConfigureAwait(false)) return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync().ConfigureAwait(false);
        try { await _events.DisposeAsync().ConfigureAwait(false); } catch (OperationCanceledException) { }
        _response.Dispose();
        _cts.Dispose();
    }
}
