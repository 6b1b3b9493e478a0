using System.Net;
using System.Net.Http.Json;
using RtcClient.Protocol;

namespace RtcClient.Server.Tests.Endpoints;

[CancelAfter(60_000)]
public class BadRequestTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [TestCase(null)]
    [TestCase("not-a-token")]
    public async Task MissingOrInvalidTokenIs401ProblemWithChallenge(string? token)
    {
        using var http = _server.Client(token);
        var response = await http.GetAsync("/.well-known/ript/v1/providertgs");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        var problem = await TestServer.ProblemAsync(response);
        Assert.That((problem.Type, problem.Status), Is.EqualTo((ProblemType.Unauthenticated, 401)));
    }

    [Test]
    public async Task DiscoveryNeedsNoTokenAndPointsAtTheTrunkGroups()
    {
        using var http = _server.Client(null);
        var doc = await http.GetFromJsonAsync("/.well-known/ript", RiptJsonContext.Default.DiscoveryDocument);
        Assert.That(doc!.Versions, Does.Contain("1"));
        using var alice = _server.Client("alice-token");
        var list = await alice.GetFromJsonAsync(doc.TrunkGroups, RiptJsonContext.Default.TrunkGroupList);
        var tg = await alice.GetFromJsonAsync(list!.TrunkGroups[0].Uri, RiptJsonContext.Default.TrunkGroupDocument);
        Assert.That(tg!.Calls, Does.EndWith("/calls"));
    }

    [TestCase("{not json")]
    [TestCase("[1,2,3]")]
    [TestCase("{\"name\": 5, \"advertisement\": {}}")]
    [TestCase("{\"name\": \"x\"}")]
    public async Task MalformedJsonIs400Problem(string body)
    {
        using var http = _server.Client("alice-token");
        var response = await http.PostAsync("/.well-known/ript/v1/tgs/default/handlers", TestServer.Json(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestServer.ProblemAsync(response)).Type, Is.EqualTo(ProblemType.Malformed));
    }

    [Test]
    public async Task WrongContentTypeIs415AndOversizedBodyIs413()
    {
        using var http = _server.Client("alice-token");
        var text = await http.PostAsync("/.well-known/ript/v1/tgs/default/handlers", new StringContent("{}"));
        Assert.That(text.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That((await TestServer.ProblemAsync(text)).Type, Is.EqualTo(ProblemType.UnsupportedMediaType));
        var huge = await http.PostAsync("/.well-known/ript/v1/tgs/default/handlers", TestServer.Json("{\"name\":\"" + new string('a', 70_000) + "\"}"));
        Assert.That(huge.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await TestServer.ProblemAsync(huge)).Type, Is.EqualTo(ProblemType.TooLarge));
    }

    [Test]
    public async Task UnknownCallAndAnotherClientsCallAre404()
    {
        using var alice = _server.Client("alice-token");
        using var carol = _server.Client("carol-token");
        var unknown = await alice.GetAsync("/.well-known/ript/v1/tgs/default/calls/c-nope");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await TestServer.ProblemAsync(unknown)).Type, Is.EqualTo(ProblemType.NotFound));

        await TestServer.RegisterAsync(_server.Client("bob-token"), "bob404");
        var call = await TestServer.PlaceAsync(alice, await TestServer.RegisterAsync(alice, "alice404"), "bob404");
        var stolen = await carol.GetAsync(call.Uri);
        Assert.That(stolen.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another client's call is not even revealed");
        var noRoute = await alice.GetAsync("/.well-known/ript/v1/nothing/here");
        Assert.That((await TestServer.ProblemAsync(noRoute)).Status, Is.EqualTo(404));
    }

    [Test]
    public async Task IllegalEventIs409AndDoesNotDisturbAnotherCall()
    {
        using var alice = _server.Client("alice-token");
        using var bob = _server.Client("bob-token");
        var aliceHandler = await TestServer.RegisterAsync(alice, "alice409");
        await TestServer.RegisterAsync(bob, "bob409");
        var first = await TestServer.PlaceAsync(alice, aliceHandler, "bob409");
        var second = await TestServer.PlaceAsync(alice, aliceHandler, "bob409");
        var secondCallee = _server.Registry.FindLeg(second.Id)!.Peer;
        await TestServer.PostEventAsync(bob, secondCallee.Uri, new CallEvent { Type = CallEventType.Answered });

        var callerAnswers = await TestServer.PostEventAsync(alice, first.Uri, new CallEvent { Type = CallEventType.Answered });
        Assert.That(callerAnswers.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var holdWhileRinging = await TestServer.PostEventAsync(alice, first.Uri, new CallEvent { Type = CallEventType.Hold });
        var problem = await TestServer.ProblemAsync(holdWhileRinging);
        Assert.That((problem.Status, problem.Type), Is.EqualTo((409, ProblemType.InvalidState)));
        Assert.That(problem.Instance, Is.EqualTo(first.Uri + "/events"));

        var garbage = await alice.PostAsync(first.Uri + "/events", TestServer.Json("{\"type\":"));
        Assert.That(garbage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        Assert.Multiple(() =>
        {
            Assert.That(_server.Registry.FindLeg(first.Id)!.State, Is.EqualTo(CallState.Proceeding));
            Assert.That(_server.Registry.FindLeg(second.Id)!.State, Is.EqualTo(CallState.Answered));
        });
    }

    [Test]
    public async Task DeletingACallIs405()
    {
        using var alice = _server.Client("alice-token");
        var response = await alice.DeleteAsync("/.well-known/ript/v1/tgs/default/calls/c-anything");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That((await TestServer.ProblemAsync(response)).Type, Is.EqualTo(ProblemType.MethodNotAllowed));
    }

    [Test]
    public async Task IncompatibleMediaIs422()
    {
        using var alice = _server.Client("alice-token");
        var opusOnlyE2e = TestServer.G711 with { E2e = new E2eCapabilities { SFrame = ["AES_128_GCM_SHA256_128"], Required = true } };
        await TestServer.RegisterAsync(_server.Client("bob-token"), "bob422");
        var handler = await TestServer.RegisterAsync(alice, "alice422", opusOnlyE2e);
        var response = await alice.PostAsJsonAsync("/.well-known/ript/v1/tgs/default/calls", new PlaceCallRequest { Handler = handler.Uri, Destination = "bob422" }, RiptJsonContext.Default.PlaceCallRequest);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await TestServer.ProblemAsync(response)).Type, Is.EqualTo(ProblemType.Incompatible));
    }
}
