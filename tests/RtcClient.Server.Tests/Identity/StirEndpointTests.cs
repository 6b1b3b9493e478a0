using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using RtcClient.Identity;
using RtcClient.Protocol;
using RtcClient.Server.Hosting;
using RtcClient.Server.Identity;
using RtcClient.Server.Tests.Endpoints;

namespace RtcClient.Server.Tests.Identity;

[CancelAfter(60_000)]
public class StirEndpointTests : StirTestBase
{

    private static Task<TestServer> StartAsync(StirVerificationOptions identity, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>? origins = null)
        => TestServer.StartAsync(o => o.TrunkGroups.Add(new TrunkGroupOptions { Id = "default", Identity = identity, OutboundOrigins = origins ?? [] }));

    private static async Task<HttpResponseMessage> PlaceAsync(HttpClient http, HandlerDocument handler, string? identity)
        => await http.PostAsJsonAsync("/.well-known/ript/v1/tgs/default/calls",
            new PlaceCallRequest { Handler = handler.Uri, Destination = Callee, Identity = identity }, RiptJsonContext.Default.PlaceCallRequest);

    /// <summary>A server with the caller's and the callee's handlers registered over plain HTTP, and the callee's event stream open.</summary>
    private sealed class Trunk : IAsyncDisposable
    {
        private Trunk(TestServer server, HttpClient alice, HttpClient bob) => (Server, Alice, Bob) = (server, alice, bob);

        public TestServer Server { get; }
        public HttpClient Alice { get; }
        public HttpClient Bob { get; }
        public HandlerDocument AliceHandler { get; private set; } = null!;
        public EventStream BobEvents { get; private set; } = null!;

        public static async Task<Trunk> StartAsync(StirVerificationOptions identity)
        {
            var server = await StirEndpointTests.StartAsync(identity);
            var trunk = new Trunk(server, server.Client("alice-token"), server.Client("bob-token"));
            trunk.AliceHandler = await TestServer.RegisterAsync(trunk.Alice, Caller);
            trunk.BobEvents = await TestServer.OpenEventsAsync(trunk.Bob, (await TestServer.RegisterAsync(trunk.Bob, Callee)).Events);
            return trunk;
        }

        public Task<HttpResponseMessage> PlaceAsync(string? identity) => StirEndpointTests.PlaceAsync(Alice, AliceHandler, identity);

        public async ValueTask DisposeAsync()
        {
            await BobEvents.DisposeAsync();
            Alice.Dispose();
            Bob.Dispose();
            await Server.DisposeAsync();
        }
    }

    [Test]
    public async Task ARequiredPolicyRefusesMissingAndInvalidIdentitiesWithProblemJson()
    {
        var signer = Pki.IssueCallerSigner();
        await using var trunk = await Trunk.StartAsync(Pki.Policy(Pki.Resolver(signer)));
        var stale = PassportSigner.CreateIdentityHeader(Pki.Credential(signer), Caller, [Callee], DateTimeOffset.UtcNow.AddMinutes(-5));

        foreach (var (identity, code) in new[] { ((string?)null, 428), (stale, 438), ("garbage", 438) })
        {
            var response = await trunk.PlaceAsync(identity);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            var problem = await TestServer.ProblemAsync(response);
            Assert.That((problem.Type, problem.Status, problem.IdentityError), Is.EqualTo((ProblemType.IdentityInvalid, 403, (int?)code)), problem.Detail);
        }
        Assert.That(trunk.Server.Registry.ActiveCalls, Is.Zero, "a refused call is never created");
    }

    [Test]
    public async Task AVerifiedIdentityReachesTheCalleeInTheIncomingEventAndTheCallDocument()
    {
        var signer = Pki.IssueCallerSigner();
        await using var trunk = await Trunk.StartAsync(Pki.Policy(Pki.Resolver(signer)));
        var identity = PassportSigner.CreateIdentityHeader(Pki.Credential(signer), Caller, [Callee], DateTimeOffset.UtcNow);

        var response = await trunk.PlaceAsync(identity);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var incoming = await trunk.BobEvents.NextOfTypeAsync(CallEventType.Incoming);
        var document = await trunk.Bob.GetFromJsonAsync(incoming.Call, RiptJsonContext.Default.CallDocument);
        Assert.Multiple(() =>
        {
            Assert.That(incoming.Identity, Is.EqualTo(identity), "the header value is passed on unchanged");
            Assert.That(incoming.Verification!.Status, Is.EqualTo(VerificationStatus.Passed), incoming.Verification.Detail);
            Assert.That(incoming.Verification.Attestation, Is.EqualTo("A"));
            Assert.That(incoming.Verification.Origin, Is.EqualTo(StirTestPki.CallerNumber));
            Assert.That(document!.Verification, Is.EqualTo(incoming.Verification));
        });
    }

    [Test]
    public async Task AClientWithACredentialSignsItsCallsAndTheCalleeSeesThemVerified()
    {
        var signer = Pki.IssueCallerSigner();
        await using var server = await StartAsync(Pki.Policy(Pki.Resolver(signer)));
        await using var alice = await CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.BaseUri, Token = "alice-token", Name = Caller, HttpHandler = new SocketsHttpHandler(),
            Advertisement = TestServer.G711, StirCredential = Pki.Credential(signer),
        });
        await using var bob = await CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.BaseUri, Token = "bob-token", Name = Callee, HttpHandler = new SocketsHttpHandler(), Advertisement = TestServer.G711,
        });
        var incoming = new TaskCompletionSource<Call>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.IncomingCall += (_, call) => incoming.TrySetResult(call);

        await using var call = await alice.PlaceCallAsync(Callee);
        var answered = await incoming.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            Assert.That(answered.IdentityVerification?.IsVerified, Is.True, answered.IdentityVerification?.Detail);
            Assert.That(answered.IdentityVerification!.Attestation, Is.EqualTo("A"));
            Assert.That(answered.IdentityVerification.Origin, Is.EqualTo(StirTestPki.CallerNumber));
            Assert.That(answered.Identity, Does.EndWith(";info=<" + StirTestPki.Info.AbsoluteUri + ">;alg=ES256;ppt=shaken"));
        });

        // A ready-made identity is sent as given (here a stale one, which the server refuses).
        var stale = PassportSigner.CreateIdentityHeader(Pki.Credential(signer), Caller, [Callee], DateTimeOffset.UtcNow.AddMinutes(-2));
        var refused = Assert.ThrowsAsync<RtcException>(() => alice.PlaceCallAsync(Callee, new CallOptions { Identity = stale }));
        Assert.That(refused!.Problem?.IdentityError, Is.EqualTo(438));
    }

    [Test]
    public async Task AnOptionalPolicyLetsCallsThroughAndTellsTheCalleeWhatItFound()
    {
        var signer = Pki.IssueCallerSigner();
        await using var trunk = await Trunk.StartAsync(Pki.Policy(Pki.Resolver(signer), StirVerificationMode.Optional));
        var wrongDest = PassportSigner.CreateIdentityHeader(Pki.Credential(signer), Caller, ["+12025550142"], DateTimeOffset.UtcNow);

        Assert.That((await trunk.PlaceAsync(wrongDest)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var failed = (await trunk.BobEvents.NextOfTypeAsync(CallEventType.Incoming)).Verification!;
        Assert.That((await trunk.PlaceAsync(null)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var none = (await trunk.BobEvents.NextOfTypeAsync(CallEventType.Incoming)).Verification!;
        Assert.Multiple(() =>
        {
            Assert.That((failed.Status, failed.Error, failed.IsVerified), Is.EqualTo((VerificationStatus.Failed, (int?)438, false)));
            Assert.That((none.Status, none.Error), Is.EqualTo((VerificationStatus.None, (int?)null)));
        });
    }

    [Test]
    public async Task TheTrunkGroupDocumentAdvertisesThePolicyAndTheOutboundOrigins()
    {
        var origin = Pki.IssueCallerSigner();
        await using var server = await StartAsync(Pki.Policy(Pki.Resolver(origin)), [origin]);
        using var alice = server.Client("alice-token");
        var tg = await alice.GetFromJsonAsync("/.well-known/ript/v1/tgs/default", RiptJsonContext.Default.TrunkGroupDocument);
        Assert.That(tg!.Identity, Is.EqualTo("required"));
        using var advertised = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(tg.OutboundOrigins!.Single()));
        Assert.That(TnAuthList.FromCertificate(advertised)!.Covers(StirTestPki.CallerNumber), Is.True);
    }

    [Test]
    public async Task AnUnreachableInfoUrlIs436()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var signer = Pki.IssueCallerSigner();
        using var resolver = new HttpStirCertificateResolver(new HttpStirCertificateResolverOptions { Timeout = TimeSpan.FromSeconds(2) });
        await using var trunk = await Trunk.StartAsync(Pki.Policy(resolver));
        using var credential = new StirSigningCredential(signer, new Uri($"https://127.0.0.1:{closedPort}/sp1.pem"));

        var response = await trunk.PlaceAsync(PassportSigner.CreateIdentityHeader(credential, Caller, [Callee], DateTimeOffset.UtcNow));
        var problem = await TestServer.ProblemAsync(response);
        Assert.That((response.StatusCode, problem.IdentityError), Is.EqualTo((HttpStatusCode.Forbidden, (int?)436)), problem.Detail);
    }
}
