using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RtcClient.Protocol;
using RtcClient.Server.Auth;
using RtcClient.Server.Calls;
using RtcClient.Server.Events;
using RtcClient.Server.Hosting;
using RtcClient.Server.Identity;

namespace RtcClient.Server;

/// <summary>Maps the protocol's resources (docs/protocol.md sections 4 and 6) onto ASP.NET Core endpoints.</summary>
public static class RiptEndpoints
{
    /// <summary>Maps discovery, trunk groups, handlers, calls and their event streams.</summary>
    public static RouteGroupBuilder MapRipt(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(RiptPaths.WellKnown, () => Results.Json(new DiscoveryDocument { TrunkGroups = RiptPaths.ProviderTrunkGroups }, RiptJsonContext.Default.DiscoveryDocument));

        var v1 = app.MapGroup(RiptPaths.V1).RequireAuthorization(p => p.AddAuthenticationSchemes(RiptBearerHandler.SchemeName).RequireClaim(RiptBearerHandler.ClientIdClaim));
        v1.MapGet("/providertgs", (CallRegistry r) => Results.Json(
            new TrunkGroupList { TrunkGroups = r.TrunkGroups.Select(t => new TrunkGroupReference { Id = t.Id, Uri = RiptPaths.TrunkGroup(t.Id) }).ToList() },
            RiptJsonContext.Default.TrunkGroupList));

        v1.MapGet("/tgs/{tg}", (string tg, CallRegistry r) => r.FindTrunkGroup(tg) is { } t ? Results.Json(TrunkGroupDocument(t), RiptJsonContext.Default.TrunkGroupDocument) : NotFound("trunk group", tg));

        v1.MapPost("/tgs/{tg}/handlers", async (string tg, HttpContext ctx, CallRegistry r) =>
        {
            if (r.FindTrunkGroup(tg) is not { } t) return NotFound("trunk group", tg);
            var (body, problem) = await JsonBody.ReadAsync(ctx, RiptJsonContext.Default.HandlerRegistration, t.Limits.MaxBodyBytes).ConfigureAwait(false);
            if (problem is not null) return problem;
            if (body!.Advertisement is null || body.Name is null) return Malformed("'name' and 'advertisement' are required");
            var outcome = r.RegisterHandler(t, ClientId(ctx), body);
            if (!outcome.Succeeded) return Problem(outcome);
            ctx.Response.Headers.Location = outcome.Value!.Uri;
            return Results.Json(outcome.Value.ToDocument(), RiptJsonContext.Default.HandlerDocument, statusCode: 201);
        });

        v1.MapGet("/tgs/{tg}/handlers/{hid}", (string tg, string hid, HttpContext ctx, CallRegistry r) =>
            r.FindHandler(tg, hid, ClientId(ctx)) is { } h ? Results.Json(h.ToDocument(), RiptJsonContext.Default.HandlerDocument) : NotFound("handler", hid));

        v1.MapPut("/tgs/{tg}/handlers/{hid}", async (string tg, string hid, HttpContext ctx, CallRegistry r) =>
        {
            if (r.FindHandler(tg, hid, ClientId(ctx)) is not { } h) return NotFound("handler", hid);
            var (body, problem) = await JsonBody.ReadAsync(ctx, RiptJsonContext.Default.HandlerRegistration, r.FindTrunkGroup(tg)!.Limits.MaxBodyBytes).ConfigureAwait(false);
            if (problem is not null) return problem;
            if (body!.Advertisement is null || body.Name is null) return Malformed("'name' and 'advertisement' are required");
            var outcome = r.UpdateHandler(h, body);
            return outcome.Succeeded ? Results.Json(outcome.Value!.ToDocument(), RiptJsonContext.Default.HandlerDocument) : Problem(outcome);
        });

        v1.MapDelete("/tgs/{tg}/handlers/{hid}", (string tg, string hid, HttpContext ctx, CallRegistry r) =>
        {
            if (r.FindHandler(tg, hid, ClientId(ctx)) is not { } h) return NotFound("handler", hid);
            r.RemoveHandler(h);
            return Results.NoContent();
        });

        v1.MapGet("/tgs/{tg}/handlers/{hid}/events", async (string tg, string hid, HttpContext ctx, CallRegistry r, IOptions<RiptServerOptions> o) =>
        {
            if (r.FindHandler(tg, hid, ClientId(ctx)) is not { } h) return NotFound("handler", hid);
            r.StreamOpened(h, true);
            try
            {
                // On reconnect only calls still ringing are worth replaying.
                await ServerSentEventsWriter.StreamAsync(ctx, h.Events, o.Value.KeepAliveInterval,
                    e => IsStillRinging(r, e.Json), Stopping(ctx)).ConfigureAwait(false);
            }
            finally
            {
                r.StreamOpened(h, false);
            }
            return Results.Empty;
        });

        v1.MapPost("/tgs/{tg}/calls", async (string tg, HttpContext ctx, CallRegistry r, StirVerifier stir) =>
        {
            if (r.FindTrunkGroup(tg) is not { } t) return NotFound("trunk group", tg);
            var (body, problem) = await JsonBody.ReadAsync(ctx, RiptJsonContext.Default.PlaceCallRequest, t.Limits.MaxBodyBytes).ConfigureAwait(false);
            if (problem is not null) return problem;
            if (body!.Handler is null || body.Destination is null) return Malformed("'handler' and 'destination' are required");
            var (verification, refused) = await VerifyIdentityAsync(t, body, stir, ctx.RequestAborted).ConfigureAwait(false);
            if (refused is not null) return refused;
            var outcome = r.PlaceCall(t, ClientId(ctx), body, verification);
            if (!outcome.Succeeded) return Problem(outcome);
            ctx.Response.Headers.Location = outcome.Value!.Uri;
            return Results.Json(outcome.Value.ToDocument(), RiptJsonContext.Default.CallDocument, statusCode: 201);
        });

        v1.MapGet("/tgs/{tg}/calls/{cid}", (string tg, string cid, HttpContext ctx, CallRegistry r) =>
        {
            if (r.FindLeg(tg, cid, ClientId(ctx)) is not { } leg) return NotHere(r, tg, cid, ctx);
            r.Touch(leg);
            return Results.Json(leg.ToDocument(), RiptJsonContext.Default.CallDocument);
        });

        v1.MapDelete("/tgs/{tg}/calls/{cid}", () => ProblemWriter.Result(405, ProblemType.MethodNotAllowed, "Method not allowed", "hang up with an 'end' event"));

        v1.MapPost("/tgs/{tg}/calls/{cid}/events", async (string tg, string cid, HttpContext ctx, CallRegistry r) =>
        {
            if (r.FindLeg(tg, cid, ClientId(ctx)) is not { } leg) return NotHere(r, tg, cid, ctx);
            var (body, problem) = await JsonBody.ReadAsync(ctx, RiptJsonContext.Default.CallEvent, leg.Call.TrunkGroup.Limits.MaxBodyBytes).ConfigureAwait(false);
            if (problem is not null) return problem;
            if (string.IsNullOrEmpty(body!.Type)) return Malformed("'type' is required");
            var outcome = r.ApplyClientEvent(leg, body);
            return outcome.Succeeded ? Results.Json(outcome.Value!, RiptJsonContext.Default.CallDocument) : Problem(outcome);
        });

        v1.MapGet("/tgs/{tg}/calls/{cid}/events", async (string tg, string cid, HttpContext ctx, CallRegistry r, IOptions<RiptServerOptions> o) =>
        {
            if (r.FindLeg(tg, cid, ClientId(ctx)) is not { } leg) return NotHere(r, tg, cid, ctx);
            r.StreamOpened(leg, true);
            try
            {
                await ServerSentEventsWriter.StreamAsync(ctx, leg.Events, o.Value.KeepAliveInterval, null, Stopping(ctx)).ConfigureAwait(false);
            }
            finally
            {
                r.StreamOpened(leg, false);
            }
            return Results.Empty;
        });

        v1.Map("/tgs/{tg}/calls/{cid}/media", async (string tg, string cid, HttpContext ctx, CallRegistry r, Media.MediaRelay relay) =>
        {
            var wt = ctx.Features.Get<Http3.AspNetCore.IRtcWebTransportFeature>();
            if (wt is null || !wt.IsWebTransportRequest)
                return ProblemWriter.Result(400, ProblemType.Malformed, "WebTransport required", "open the media session with a WebTransport extended CONNECT");
            if (r.FindLeg(tg, cid, ClientId(ctx)) is not { } leg) return NotHere(r, tg, cid, ctx);
            if (leg.State == CallState.Ended) return ProblemWriter.Result(409, ProblemType.InvalidState, "Call ended", "the call has ended");
            // The relay owns the session from here: it closes it when the leg ends or the session is replaced.
            var session = new RtcClient.Media.WebTransportMediaSession(await wt.AcceptAsync(null, ctx.RequestAborted).ConfigureAwait(false));
            using var ending = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, Stopping(ctx));
            await relay.RunAsync(leg, session, ending.Token).ConfigureAwait(false);
            return Results.Empty;
        });

        v1.MapFallback((HttpContext ctx) => ProblemWriter.Result(404, ProblemType.NotFound, "Not found", $"no resource at {ctx.Request.Path}"));
        return v1;
    }

    private static string ClientId(HttpContext ctx) => ctx.User.FindFirstValue(RiptBearerHandler.ClientIdClaim)!;

    /// <summary>
    /// Fires when the server is stopping: long-lived event streams and media sessions end then, so a stopping
    /// instance does not wait out its shutdown timeout, and clients reconnect (section 6.7).
    /// </summary>
    private static CancellationToken Stopping(HttpContext ctx)
        => ctx.RequestServices.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;

    private static IResult NotFound(string what, string id) => ProblemWriter.Result(404, ProblemType.NotFound, $"Unknown {what}", $"no {what} '{id}' for this client");

    private static IResult Malformed(string detail) => ProblemWriter.Result(400, ProblemType.Malformed, "Malformed body", detail);

    private static IResult Problem<T>(RegistryOutcome<T> o) => ProblemWriter.Result(o.Status, o.ProblemType!, o.Title!, o.Detail, o.Target);

    /// <summary>The trunk group's caller identity policy (section 9): the result to pass to the callee, or the problem to refuse with.</summary>
    private static async Task<(IdentityVerification? Verification, IResult? Refused)> VerifyIdentityAsync(TrunkGroupOptions t, PlaceCallRequest body, StirVerifier stir, CancellationToken cancellationToken)
    {
        var policy = t.Identity;
        if (policy.Mode == StirVerificationMode.Off)
            return (null, null);
        var result = await stir.VerifyAsync(body.Identity, body.Destination, policy, cancellationToken).ConfigureAwait(false);
        if (result.Error is { } code && policy.Mode == StirVerificationMode.Required)
            return (null, ProblemWriter.IdentityInvalid(code, result.Detail));
        // Optional: the call goes through and the callee sees what was found; having no identity is no error then.
        return (result.Status == VerificationStatus.None ? result with { Error = null } : result, null);
    }

    /// <summary>A leg this instance does not serve: 421 with its URI where another instance took it over, else 404.</summary>
    private static IResult NotHere(CallRegistry r, string tg, string cid, HttpContext ctx)
        => r.MovedTarget(tg, cid, ClientId(ctx)) is { } target
            ? ProblemWriter.Result(421, ProblemType.Migrated, "Call migrated", $"the call is now served at {target}", target)
            : NotFound("call", cid);

    internal static TrunkGroupDocument TrunkGroupDocument(TrunkGroupOptions t) => new()
    {
        Id = t.Id,
        Identity = t.Identity.Mode.ToString().ToLowerInvariant(),
        OutboundOrigins = t.OutboundOrigins.Count == 0 ? null : [.. t.OutboundOrigins.Select(c => Convert.ToBase64String(c.RawData))],
        Destinations = t.Destinations,
        MediaTimeoutMs = (int)t.MediaTimeout.TotalMilliseconds,
        SignalingTimeoutMs = (int)t.SignalingTimeout.TotalMilliseconds,
        NoAnswerTimeoutMs = (int)t.NoAnswerTimeout.TotalMilliseconds,
        Limits = t.Limits,
        Handlers = RiptPaths.TrunkGroup(t.Id) + "/handlers",
        Calls = RiptPaths.TrunkGroup(t.Id) + "/calls",
    };

    internal static bool IsStillRinging(CallRegistry r, string incomingJson)
    {
        var e = System.Text.Json.JsonSerializer.Deserialize(incomingJson, RiptJsonContext.Default.CallEvent);
        var id = e?.Call?[(e.Call.LastIndexOf('/') + 1)..];
        return id is not null && r.FindLeg(id) is { State: CallState.Proceeding or CallState.Alerting };
    }
}
