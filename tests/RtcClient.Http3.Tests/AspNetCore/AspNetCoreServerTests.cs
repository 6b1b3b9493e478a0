using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using RtcClient.Http3.Tests.Connection;
using RtcClient.Http3.Transport;

namespace RtcClient.Http3.Tests.AspNetCore;

public class AspNetCoreServerTests
{
    private WebApplication _app = null!;
    private Http3ClientConnection _client = null!;
    private HttpClient _http = null!;
    private Task _serving = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _app = MinimalApiApp.Build(_ => { });
        await _app.StartAsync();
        var (c, s) = InMemoryH3Transport.CreatePair();
        _serving = MinimalApiApp.Server(_app).ServeAsync(s);
        _client = await Http3ClientConnection.CreateAsync(c, new Http3Options(), CancellationToken.None);
        var client = _client;
        _http = new HttpClient(new Http3Handler((_, _) => Task.FromResult(client))) { BaseAddress = new Uri("https://localhost/"), Timeout = InMemoryPair.Timeout };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _serving.WaitAsync(InMemoryPair.Timeout);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Test]
    public async Task Get_Json()
    {
        using var r = await _http.GetAsync("/hello");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        var body = await r.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.That(body!["message"], Is.EqualTo("hi"));
        Assert.That(body["protocol"], Is.EqualTo("HTTP/3"));
    }

    [Test]
    public async Task Post_Json()
    {
        using var r = await _http.PostAsJsonAsync("/items", new Item("a", 41));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await r.Content.ReadFromJsonAsync<Item>(), Is.EqualTo(new Item("a", 42)));
    }

    [Test]
    public async Task StreamingResponse_WithTrailers()
    {
        using var r = await _http.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await r.Content.ReadAsStreamAsync(), Encoding.ASCII);
        for (int i = 0; i < 5; i++)
            Assert.That(await reader.ReadLineAsync().WaitAsync(InMemoryPair.Timeout), Is.EqualTo($"chunk{i}"));
        Assert.That(await reader.ReadToEndAsync(), Is.Empty);
        Assert.That(r.TrailingHeaders.GetValues("x-chunks").Single(), Is.EqualTo("5"));
    }

    [Test]
    public async Task Auth_RejectsMissingOrBadToken_AcceptsValidOne()
    {
        using (var r = await _http.GetAsync("/secure"))
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using (var bad = new HttpRequestMessage(HttpMethod.Get, "/secure"))
        {
            bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope");
            using var r = await _http.SendAsync(bad);
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using var good = new HttpRequestMessage(HttpMethod.Get, "/secure");
        good.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenAuthenticationHandler.ValidToken);
        using var ok = await _http.SendAsync(good);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ok.Content.ReadAsStringAsync(), Is.EqualTo("secret for alice"));
    }

    [Test]
    public async Task NotFound_Is404()
    {
        using var r = await _http.GetAsync("/nope");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task WebTransportRoute_EchoesDatagramAndStreams()
    {
        var session = await _client.OpenWebTransportAsync(new Uri("https://localhost/wt")).WaitAsync(InMemoryPair.Timeout);
        await WebTransportTests.ExerciseEchoAsync(session);
        await session.CloseAsync();
    }
}
