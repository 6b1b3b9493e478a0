using System.Net;
using RtcClient.Protocol;

namespace RtcClient.Server.Tests.Endpoints;

[CancelAfter(30_000)]
public class NullMembersTests
{
    [TestCase("/.well-known/ript/v1/tgs/default/handlers", "{\"name\":\"a\",\"advertisement\":null}")]
    [TestCase("/.well-known/ript/v1/tgs/default/handlers", "{\"name\":null,\"advertisement\":{}}")]
    [TestCase("/.well-known/ript/v1/tgs/default/calls", "{\"handler\":null,\"destination\":\"bob\"}")]
    public async Task ExplicitNullForARequiredMemberIs400NotA500(string path, string body)
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Client("alice-token");
        var response = await http.PostAsync(path, TestServer.Json(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestServer.ProblemAsync(response)).Type, Is.EqualTo(ProblemType.Malformed));
    }
}
