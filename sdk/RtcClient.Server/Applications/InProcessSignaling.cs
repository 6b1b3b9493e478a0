using System.Globalization;
using System.Runtime.CompilerServices;
using RtcClient.Protocol;
using RtcClient.Server.Calls;
using RtcClient.Server.Events;
using RtcClient.Signaling;

namespace RtcClient.Server.Applications;

/// <summary>
/// The protocol's requests of an in-process application, answered by the call registry directly: the same
/// checks and state changes as the HTTP endpoints, with no serialisation of requests and no network.
/// Refusals become <see cref="RtcException"/>s with the problem the endpoint would have sent.
/// </summary>
internal sealed class InProcessSignaling(CallRegistry registry, string clientId, TimeSpan requestTimeout) : ICallSignaling
{
    public TimeSpan RequestTimeout => requestTimeout;

    public Task<(TrunkGroupDocument TrunkGroup, HandlerDocument Handler)> RegisterAsync(string? trunkGroup, HandlerRegistration registration, CancellationToken cancellationToken)
    {
        var tg = (trunkGroup is null ? registry.TrunkGroups.FirstOrDefault() : registry.FindTrunkGroup(trunkGroup))
            ?? throw Refused(404, ProblemType.NotFound, "Unknown trunk group", $"no trunk group '{trunkGroup}'", "register");
        var handler = Unwrap(registry.RegisterHandler(tg, clientId, registration, inProcess: true), "register");
        return Task.FromResult((RiptEndpoints.TrunkGroupDocument(tg), handler.ToDocument()));
    }

    public Task<HandlerDocument> UpdateHandlerAsync(string handlerUri, HandlerRegistration registration, CancellationToken cancellationToken)
        => Task.FromResult(Unwrap(registry.UpdateHandler(Handler(handlerUri), registration), handlerUri).ToDocument());

    public Task DeleteHandlerAsync(string handlerUri, CancellationToken cancellationToken)
    {
        registry.RemoveHandler(Handler(handlerUri));
        return Task.CompletedTask;
    }

    public Task<CallDocument> PlaceCallAsync(string callsUri, PlaceCallRequest request, CancellationToken cancellationToken)
    {
        if (!RiptPaths.TryParse(callsUri, out var tgId, out _, out _, out _) || registry.FindTrunkGroup(tgId) is not { } tg)
            throw Refused(404, ProblemType.NotFound, "Unknown trunk group", callsUri, "place call");
        return Task.FromResult(Unwrap(registry.PlaceCall(tg, clientId, request), callsUri).ToDocument());
    }

    public Task<CallDocument> GetCallAsync(string callUri, CancellationToken cancellationToken)
    {
        var leg = Leg(callUri);
        registry.Touch(leg);
        return Task.FromResult(leg.ToDocument());
    }

    public Task<CallDocument> PostEventAsync(string callUri, CallEvent e, CancellationToken cancellationToken)
        => Task.FromResult(Unwrap(registry.ApplyClientEvent(Leg(callUri), e), callUri));

    public async IAsyncEnumerable<ServerSentEvent> EventsAsync(string uri, Func<ServerSentEvent, bool> isFinal, TimeSpan giveUpAfter,
        string? lastEventId, Action? connected, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!RiptPaths.TryParse(uri, out _, out var collection, out _, out var rest) || rest != "events")
            throw Refused(404, ProblemType.NotFound, "Not found", $"no event stream at {uri}", uri);
        long after = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
        EventLog log;
        Func<string, bool>? replay = null;
        Action<bool> opened;
        if (collection == "handlers")
        {
            var handler = Handler(uri);
            log = handler.Events;
            // As on the HTTP stream: a new reader gets only the calls still ringing.
            if (lastEventId is null) replay = json => RiptEndpoints.IsStillRinging(registry, json);
            opened = open => registry.StreamOpened(handler, open);
        }
        else
        {
            var leg = Leg(uri);
            log = leg.Events;
            opened = open => registry.StreamOpened(leg, open);
        }
        opened(true);
        try
        {
            connected?.Invoke();
            var batch = new List<(long Seq, string Type, string Json)>();
            while (true)
            {
                batch.Clear();
                var changed = log.Read(after, batch, out bool completed);
                foreach (var (seq, type, json) in batch)
                {
                    after = seq;
                    if (replay is not null && !replay(json)) continue;
                    var e = new ServerSentEvent(type, seq.ToString(CultureInfo.InvariantCulture), json);
                    yield return e;
                    if (isFinal(e)) yield break;
                }
                replay = null;
                if (completed) yield break;
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            opened(false);
        }
    }

    public void Dispose()
    {
    }

    private ServerLeg Leg(string uri)
    {
        if (RiptPaths.TryParse(uri, out var tg, out var collection, out var id, out _) && collection == "calls" && id is not null
            && registry.FindLeg(tg, id, clientId) is { } leg)
            return leg;
        throw Refused(404, ProblemType.NotFound, "Unknown call", $"no call at {uri} for this client", uri);
    }

    private HandlerEntry Handler(string uri)
    {
        if (RiptPaths.TryParse(uri, out var tg, out var collection, out var id, out _) && collection == "handlers" && id is not null
            && registry.FindHandler(tg, id, clientId) is { } handler)
            return handler;
        throw Refused(404, ProblemType.NotFound, "Unknown handler", $"no handler at {uri} for this client", uri);
    }

    private static T Unwrap<T>(RegistryOutcome<T> outcome, string what)
        => outcome.Succeeded ? outcome.Value! : throw Refused(outcome.Status, outcome.ProblemType!, outcome.Title!, outcome.Detail, what);

    private static RtcException Refused(int status, string type, string title, string? detail, string what)
        => new($"{what}: {status} {title}{(detail is null ? "" : ": " + detail)}",
            new Problem { Type = type, Title = title, Status = status, Detail = detail, Instance = what });
}
