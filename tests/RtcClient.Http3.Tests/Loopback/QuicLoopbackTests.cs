using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RtcClient.Http3.Tests.AspNetCore;
using RtcClient.Http3.Tests.Connection;

namespace RtcClient.Http3.Tests.Loopback;

/// <summary>Our HTTP/3 client against our HTTP/3 server over our QUIC on 127.0.0.1.</summary>
[Category("Loopback")]
public class QuicLoopbackTests
{
    private static Http3ClientOptions ClientOptions => new()
    {
        PinnedCertificateSha256 = [TestCertificate.Sha256],
        ConfigureQuic = q => q.KeyLogPath = "",
    };

    private static Http3ServerOptions ServerOptions(Http3ServerOptions o)
    {
        o.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        o.ServerCertificate = TestCertificate.Certificate;
        o.ConfigureQuic = q => q.KeyLogPath = "";
        return o;
    }

    [Test]
    public async Task OurClient_OurServer_RequestsAndWebTransport()
    {
        await using var server = new Http3Server(ServerOptions(new Http3ServerOptions()), async ctx =>
        {
            if (ctx.IsWebTransportRequest)
            {
                await WebTransportTests.EchoHandler(ctx);
                return;
            }

            var body = new MemoryStream();
            await ctx.RequestBody.CopyToAsync(body);
            byte[] hash = SHA256.HashData(body.ToArray());
            ctx.ResponseHeaders.Add(new("x-sha256", Convert.ToHexString(hash)));
            await ctx.ResponseBody.WriteAsync(body.ToArray());
        });
        await server.StartAsync();
        var uri = new Uri($"https://127.0.0.1:{server.LocalEndPoints[0].Port}/");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var client = await Http3ClientConnection.ConnectAsync(uri, ClientOptions, cts.Token);

        byte[] payload = RandomNumberGenerator.GetBytes(1 << 20);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(uri, "/upload")) { Content = new ByteArrayContent(payload) };
        using var response = await client.SendAsync(request, cts.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("x-sha256").Single(), Is.EqualTo(Convert.ToHexString(SHA256.HashData(payload))));
        Assert.That(await response.Content.ReadAsByteArrayAsync(cts.Token), Is.EqualTo(payload));

        var session = await client.OpenWebTransportAsync(new Uri(uri, "/wt"), cancellationToken: cts.Token);
        await WebTransportTests.ExerciseEchoAsync(session);
        await session.CloseAsync();
    }

    [Test]
    public async Task MinimalApiApp_OverQuic()
    {
        await using var app = MinimalApiApp.Build(o => ServerOptions(o));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient(new Http3Handler(ClientOptions)) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };

        var hello = await http.GetFromJsonAsync<Dictionary<string, string>>("/hello");
        Assert.That(hello!["protocol"], Is.EqualTo("HTTP/3"));
        using (var post = await http.PostAsJsonAsync("/items", new Item("b", 1)))
            Assert.That(await post.Content.ReadFromJsonAsync<Item>(), Is.EqualTo(new Item("b", 2)));
        using (var stream = await http.GetAsync("/stream"))
            Assert.That(await stream.Content.ReadAsStringAsync(), Is.EqualTo("chunk0\nchunk1\nchunk2\nchunk3\nchunk4\n"));
        using (var secure = await http.GetAsync("/secure"))
            Assert.That(secure.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var handler = new Http3Handler(ClientOptions);
        var session = await handler.OpenWebTransportAsync(new Uri(new Uri(address), "/wt"));
        await WebTransportTests.ExerciseEchoAsync(session);
        await session.CloseAsync();
        handler.Dispose();
        await app.StopAsync();
    }
}
