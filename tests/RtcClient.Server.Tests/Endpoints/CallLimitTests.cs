using System.Net;
using System.Net.Http.Json;
using RtcClient.Protocol;
using RtcClient.Server.Hosting;

namespace RtcClient.Server.Tests.Endpoints;

[CancelAfter(30_000)]
public class CallLimitTests
{
    [Test]
    public async Task TheCalleesCallLimitHoldsAgainstManyCallers()
    {
        await using var server = await TestServer.StartAsync(o => o.TrunkGroups.Add(new TrunkGroupOptions { Id = "default", Limits = new TrunkGroupLimits { CallsPerClient = 1 } }));
        using var alice = server.Client("alice-token");
        using var carol = server.Client("carol-token");
        await TestServer.RegisterAsync(server.Client("bob-token"), "bob");
        await TestServer.PlaceAsync(alice, await TestServer.RegisterAsync(alice, "alice"), "bob");
        var second = await carol.PostAsJsonAsync("/.well-known/ript/v1/tgs/default/calls",
            new PlaceCallRequest { Handler = (await TestServer.RegisterAsync(carol, "carol")).Uri, Destination = "bob" }, RiptJsonContext.Default.PlaceCallRequest);
        Assert.That(second.StatusCode, Is.EqualTo((HttpStatusCode)429));
        Assert.That((await TestServer.ProblemAsync(second)).Type, Is.EqualTo(ProblemType.Limit));
        Assert.That(server.Registry.ActiveCalls, Is.EqualTo(1), "carol's refused call left nothing behind");
    }
}
