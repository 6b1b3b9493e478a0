using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RtcClient.Protocol;
using RtcClient.Server.Hosting;
using RtcClient.Server.Negotiation;
using RtcClient.Server.Store;

namespace RtcClient.Server.Calls;

/// <summary>
/// Handlers, calls and legs of the server, and every state change of a call (docs/protocol.md
/// sections 4-6). Each call's changes happen under its own lock, so one bad or slow leg never
/// blocks another call. Timers are checked by <see cref="Tick"/>, driven by one timer for all calls.
/// Every change of a call is written to the <see cref="ICallStore"/>, from which another instance can
/// take the call over (migration, in CallRegistry.Migration.cs).
/// </summary>
public sealed partial class CallRegistry
{
    private readonly RiptServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, HandlerEntry> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServerLeg> _legs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _callsPerClient = new(StringComparer.Ordinal);
    private readonly object _handlerGate = new();
    private readonly ICallStore _store;

    /// <summary>Creates the registry.</summary>
    public CallRegistry(RiptServerOptions options, TimeProvider? time = null, ILogger<CallRegistry>? logger = null)
    {
        _options = options;
        if (_options.TrunkGroups.Count == 0) _options.TrunkGroups.Add(new TrunkGroupOptions { Id = "default" });
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _store = options.CallStore ?? new InMemoryCallStore();
        if (options.InstanceUri is { } uri) InstanceUri = uri;
    }

    /// <summary>Where this instance keeps its calls' state (shared with the instances calls may move to).</summary>
    public ICallStore Store => _store;

    /// <summary>Raised (outside any lock) when a leg's client sends media for the first time or the call ends; used by the media relay.</summary>
    public event Action<ServerLeg>? LegEnded;

    /// <summary>Raised (outside any lock) when a call is answered; the media relay forwards what waited for it.</summary>
    public event Action<ServerCall>? CallAnswered;

    /// <summary>The trunk groups.</summary>
    public IEnumerable<TrunkGroupOptions> TrunkGroups => _options.TrunkGroups;

    /// <summary>Number of calls not yet ended.</summary>
    public int ActiveCalls => _legs.Values.Count(l => !l.Inbound && l.State != CallState.Ended);

    /// <summary>Looks a trunk group up by id.</summary>
    public TrunkGroupOptions? FindTrunkGroup(string id) => _options.TrunkGroups.FirstOrDefault(t => t.Id == id);

    private long Now => _time.GetTimestamp();
    private long Ticks(TimeSpan t) => (long)(t.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Registers a handler for <paramref name="clientId"/>.</summary>
    public RegistryOutcome<HandlerEntry> RegisterHandler(TrunkGroupOptions tg, string clientId, HandlerRegistration registration)
        => RegisterHandler(tg, clientId, registration, inProcess: false);

    /// <summary>Registers a handler; <paramref name="inProcess"/> marks an application in this process (section 6.8).</summary>
    internal RegistryOutcome<HandlerEntry> RegisterHandler(TrunkGroupOptions tg, string clientId, HandlerRegistration registration, bool inProcess)
    {
        if (string.IsNullOrWhiteSpace(registration.Name) || registration.Name.Length > 256)
            return RegistryOutcome.Fail<HandlerEntry>(400, ProblemType.Malformed, "Invalid handler", "'name' must be 1 to 256 characters");
        if (registration.Advertisement is null)
            return RegistryOutcome.Fail<HandlerEntry>(400, ProblemType.Malformed, "Invalid handler", "'advertisement' is required");
        if (!HasG711(registration.Advertisement))
            return RegistryOutcome.Fail<HandlerEntry>(422, ProblemType.Incompatible, "Incompatible advertisement", "every client must send and receive PCMU or PCMA");
        lock (_handlerGate)
        {
            int mine = _handlers.Values.Count(h => h.ClientId == clientId && h.TrunkGroup == tg.Id);
            if (mine >= tg.Limits.HandlersPerClient)
                return RegistryOutcome.Fail<HandlerEntry>(429, ProblemType.Limit, "Too many handlers", $"at most {tg.Limits.HandlersPerClient} handlers per client");
            if (_handlers.Values.Any(h => h.TrunkGroup == tg.Id && h.Name == registration.Name && h.ClientId != clientId))
                return RegistryOutcome.Fail<HandlerEntry>(403, ProblemType.Forbidden, "Name in use", $"'{registration.Name}' belongs to another client");
            var entry = new HandlerEntry("h-" + NewId(), tg.Id, clientId, registration.Name, registration.Advertisement, _options.EventBufferLength, Now) { InProcess = inProcess };
            _handlers[entry.Id] = entry;
            return RegistryOutcome.Ok<HandlerEntry>(entry, 201);
        }
    }

    /// <summary>The handler with this id if it belongs to <paramref name="clientId"/>.</summary>
    public HandlerEntry? FindHandler(string tg, string id, string clientId)
        => _handlers.TryGetValue(id, out var h) && h.TrunkGroup == tg && h.ClientId == clientId ? h : null;

    /// <summary>Replaces a handler's advertisement.</summary>
    public RegistryOutcome<HandlerEntry> UpdateHandler(HandlerEntry handler, HandlerRegistration registration)
    {
        if (registration.Name != handler.Name)
            return RegistryOutcome.Fail<HandlerEntry>(400, ProblemType.Malformed, "Name cannot change", "register a new handler for another name");
        if (!HasG711(registration.Advertisement))
            return RegistryOutcome.Fail<HandlerEntry>(422, ProblemType.Incompatible, "Incompatible advertisement", "every client must send and receive PCMU or PCMA");
        handler.Advertisement = registration.Advertisement;
        handler.LastSeenTicks = Now;
        return RegistryOutcome.Ok<HandlerEntry>(handler);
    }

    /// <summary>Unregisters a handler.</summary>
    public void RemoveHandler(HandlerEntry handler)
    {
        if (_handlers.TryRemove(handler.Id, out _)) handler.Events.Complete();
    }

    /// <summary>
    /// Places a call: creates both legs, tells the callee's handler, and returns the caller's leg.
    /// <paramref name="verification"/> is what checking the caller's identity found (section 9), passed to the callee.
    /// </summary>
    public RegistryOutcome<ServerLeg> PlaceCall(TrunkGroupOptions tg, string clientId, PlaceCallRequest request, IdentityVerification? verification = null)
    {
        if (IsDraining)
            return RegistryOutcome.Fail<ServerLeg>(503, ProblemType.Unavailable, "Instance draining", "this server instance is handing its calls over and takes no new ones");
        var callerHandler = FindHandlerByUri(tg, request.Handler);
        if (callerHandler is null || callerHandler.ClientId != clientId)
            return RegistryOutcome.Fail<ServerLeg>(404, ProblemType.NotFound, "Unknown handler", "'handler' must be one of this client's handlers");
        if (string.IsNullOrWhiteSpace(request.Destination) || request.Destination.Length > 256 || !tg.Accepts(request.Destination))
            return RegistryOutcome.Fail<ServerLeg>(404, ProblemType.NotFound, "Unknown destination", $"'{request.Destination}' is not served by trunk group '{tg.Id}'");
        var callee = _handlers.Values.FirstOrDefault(h => h.TrunkGroup == tg.Id && h.Name == request.Destination);
        if (callee is null)
            return RegistryOutcome.Fail<ServerLeg>(404, ProblemType.NotFound, "Destination not reachable", $"no handler is registered for '{request.Destination}'");

        // The directives the call will run with unless the callee answers with an advertisement of its own: they go
        // out now (in the 201 and the incoming event), so both sides can have their streams ready before the answer.
        var callerAd = request.Advertisement ?? callerHandler.Advertisement;
        (uint Audio, uint Video) callerSsrcs = (RandomSsrc(), RandomSsrc()), calleeSsrcs = (RandomSsrc(), RandomSsrc());
        var negotiated = DirectiveNegotiator.Negotiate(callerAd, callee.Advertisement, new CallMediaSetup(callerSsrcs, calleeSsrcs, false, false, 1, 1));
        if (!negotiated.Succeeded)
            return RegistryOutcome.Fail<ServerLeg>(422, ProblemType.Incompatible, "Incompatible media", negotiated.IncompatibleReason);

        if (!TryAcquireCallSlot(clientId, tg.Limits.CallsPerClient))
            return RegistryOutcome.Fail<ServerLeg>(429, ProblemType.Limit, "Too many calls", $"at most {tg.Limits.CallsPerClient} calls per client");
        if (!TryAcquireCallSlot(callee.ClientId, tg.Limits.CallsPerClient))
        {
            ReleaseCallSlot(clientId);
            return RegistryOutcome.Fail<ServerLeg>(429, ProblemType.Limit, "Callee busy", $"'{request.Destination}' has {tg.Limits.CallsPerClient} calls already");
        }

        long now = Now;
        var call = new ServerCall("k-" + NewId(), tg, callerHandler.Name, request.Destination, request.Identity, verification, now, _time.GetUtcNow());
        call.Caller = new ServerLeg(call, "c-" + NewId(), clientId, false, callerAd, _options.EventBufferLength, now, callerSsrcs.Audio, callerSsrcs.Video)
            { InProcess = callerHandler.InProcess, Directive = negotiated.Caller, Revision = 1 };
        call.Callee = new ServerLeg(call, "c-" + NewId(), callee.ClientId, true, callee.Advertisement, _options.EventBufferLength, now, calleeSsrcs.Audio, calleeSsrcs.Video)
            { InProcess = callee.InProcess, Directive = negotiated.Callee, Revision = 1 };
        _legs[call.Caller.Id] = call.Caller;
        _legs[call.Callee.Id] = call.Callee;
        lock (call.Gate)
        {
            call.Caller.Emit(CallEventType.Proceeding);
            call.Callee.Emit(CallEventType.Proceeding);
            Persist(call);
        }
        CallDocument calleeDocument;
        lock (call.Gate) calleeDocument = call.Callee.ToDocument();
        var incoming = new CallEvent { Type = CallEventType.Incoming, Call = call.Callee.Uri, From = call.From, To = call.To, Identity = call.Identity, Verification = call.Verification, Document = calleeDocument };
        callee.Events.Append(CallEventType.Incoming, seq => JsonSerializer.Serialize(incoming with { Seq = seq }, RiptJsonContext.Default.CallEvent));
        _logger.LogInformation("call {Caller} -> {Callee}: {From} to {To}", call.Caller.Id, call.Callee.Id, call.From, call.To);
        return RegistryOutcome.Ok<ServerLeg>(call.Caller, 201);
    }

    /// <summary>
    /// The leg with this id if it belongs to <paramref name="clientId"/> (another client's leg is "not found").
    /// A leg handed over to this instance is taken over on first use.
    /// </summary>
    public ServerLeg? FindLeg(string tg, string id, string clientId)
        => FindLeg(id) is { } leg && leg.Call.TrunkGroup.Id == tg && leg.ClientId == clientId ? leg : null;

    /// <summary>The leg with this id, whoever owns it (for the media relay, which checks ownership itself).</summary>
    public ServerLeg? FindLeg(string id) => _legs.TryGetValue(id, out var leg) ? leg : TryAdopt(id);

    /// <summary>Records that a leg's client is alive (a request or an open event stream).</summary>
    public void Touch(ServerLeg leg) => Interlocked.Exchange(ref leg.LastSignalTicks, Now);

    /// <summary>Records media from a leg's client.</summary>
    public void MediaReceived(ServerLeg leg) => Interlocked.Exchange(ref leg.LastMediaTicks, Now);

    /// <summary>An event stream opened or closed on a leg.</summary>
    public void StreamOpened(ServerLeg leg, bool open)
    {
        Interlocked.Add(ref leg.OpenStreams, open ? 1 : -1);
        Touch(leg);
    }

    /// <summary>An event stream opened or closed on a handler.</summary>
    public void StreamOpened(HandlerEntry handler, bool open)
    {
        Interlocked.Add(ref handler.OpenStreams, open ? 1 : -1);
        Interlocked.Exchange(ref handler.LastSeenTicks, Now);
    }

    /// <summary>Applies an event a client posted on its leg (docs/protocol.md section 6.4).</summary>
    public RegistryOutcome<CallDocument> ApplyClientEvent(ServerLeg leg, CallEvent e)
    {
        Touch(leg);
        var call = leg.Call;
        bool ended, answeredNow = false;
        lock (call.Gate)
        {
            if (call.MigratedTo is { } moved) return Moved<CallDocument>(leg, moved);
            var t = LegStateMachine.ApplyClientEvent(leg.State, leg.Inbound, e);
            if (!t.Allowed) return RegistryOutcome.Fail<CallDocument>(409, ProblemType.InvalidState, "Event not allowed in this state", t.Error);
            var peer = leg.Peer;
            switch (e.Type)
            {
                case CallEventType.Ping:
                    leg.Emit(CallEventType.Pong, nonce: e.Nonce);
                    break;
                case CallEventType.Pong:
                    break;
                case CallEventType.Alerting:
                    if (leg.State != CallState.Alerting)
                    {
                        leg.State = peer.State = CallState.Alerting;
                        leg.Emit(CallEventType.Alerting);
                        peer.Emit(CallEventType.Alerting);
                    }
                    break;
                case CallEventType.Answered:
                    // A plain answer keeps the directives sent with the call (the callee may already be sending by them);
                    // an answer with its own advertisement, or a call without them (placed by an instance that did not
                    // compute them yet), negotiates now.
                    if (e.Advertisement is not null || call.Caller.Directive is null || call.Callee.Directive is null)
                    {
                        var previousAd = leg.Advertisement;
                        leg.Advertisement = e.Advertisement ?? previousAd;
                        if (!Renegotiate(call, out var why))
                        {
                            leg.Advertisement = previousAd;
                            return RegistryOutcome.Fail<CallDocument>(422, ProblemType.Incompatible, "Incompatible media", why);
                        }
                    }
                    answeredNow = true;
                    leg.State = peer.State = CallState.Answered;
                    leg.LastMediaTicks = peer.LastMediaTicks = Now;
                    leg.Emit(CallEventType.Answered);
                    peer.Emit(CallEventType.Answered);
                    break;
                case CallEventType.Declined:
                    EndBoth(call, EndReason.Declined, CallEventType.Declined, EndReason.Declined, CallEventType.Declined);
                    break;
                case CallEventType.End:
                    bool answered = leg.State is CallState.Answered or CallState.Held;
                    string reason = t.Reason ?? EndReason.Hangup;
                    string peerReason = answered ? reason : (leg.Inbound ? EndReason.Declined : EndReason.Cancelled);
                    EndLeg(leg, reason, CallEventType.End);
                    EndLeg(peer, peerReason, CallEventType.End);
                    break;
                case CallEventType.Hold:
                case CallEventType.Resume:
                    leg.Holds = e.Type == CallEventType.Hold;
                    Renegotiate(call, out _);
                    EmitDirectives(call);
                    break;
                case CallEventType.DirectiveRequest:
                    var previous = leg.Advertisement;
                    leg.Advertisement = e.Advertisement!;
                    if (!Renegotiate(call, out var reason2))
                    {
                        leg.Advertisement = previous;
                        Renegotiate(call, out _);
                        return RegistryOutcome.Fail<CallDocument>(422, ProblemType.Incompatible, "Incompatible media", reason2);
                    }
                    EmitDirectives(call);
                    break;
                default:
                    if (t.State == CallState.Ended)
                    {
                        EndLeg(leg, EndReason.Unsupported, CallEventType.End);
                        EndLeg(peer, EndReason.Failed, CallEventType.Failed);
                    }
                    break;
            }
            ended = call.EndedTicks != 0;
            Persist(call);
        }
        if (ended) OnCallEnded(call);
        else if (answeredNow) CallAnswered?.Invoke(call);
        return RegistryOutcome.Ok<CallDocument>(leg.ToDocument());
    }

    /// <summary>
    /// Checks every call's timers (no answer, signaling loss, media loss) and forgets old calls and dead
    /// handlers. Called by one timer for the whole server.
    /// </summary>
    public void Tick()
    {
        long now = Now;
        foreach (var leg in _legs.Values)
        {
            if (leg.Inbound) continue;
            var call = leg.Call;
            var tg = call.TrunkGroup;
            bool endedNow = false;
            lock (call.Gate)
            {
                if (call.MigratedTo is not null) continue;
                if (call.EndedTicks != 0)
                {
                    if (now - call.EndedTicks > Ticks(_options.EndedCallRetention))
                    {
                        _legs.TryRemove(call.Caller.Id, out _);
                        _legs.TryRemove(call.Callee.Id, out _);
                        _store.Remove(call.Id);
                    }
                    continue;
                }
                var caller = call.Caller;
                var callee = call.Callee;
                if (caller.State is CallState.Proceeding or CallState.Alerting && now - call.CreatedTicks > Ticks(tg.NoAnswerTimeout))
                {
                    EndBoth(call, EndReason.NoAnswer, CallEventType.NoAnswer, EndReason.NoAnswer, CallEventType.NoAnswer);
                    endedNow = true;
                }
                else
                {
                    foreach (var l in (ReadOnlySpan<ServerLeg>)[caller, callee])
                    {
                        // A ringing callee may not have opened the call's stream yet; no-answer covers it.
                        bool ringingCallee = l.Inbound && l.State is CallState.Proceeding or CallState.Alerting;
                        if (!ringingCallee && Volatile.Read(ref l.OpenStreams) <= 0 && now - Volatile.Read(ref l.LastSignalTicks) > Ticks(tg.SignalingTimeout))
                        {
                            EndLeg(l, EndReason.SignalingTimeout, CallEventType.End);
                            EndLeg(l.Peer, EndReason.Failed, CallEventType.Failed);
                            endedNow = true;
                            break;
                        }
                        if (l.State == CallState.Answered && l.Directive?.Hold == HoldState.None
                            && now - Volatile.Read(ref l.LastMediaTicks) > Ticks(tg.MediaTimeout))
                        {
                            EndLeg(l, EndReason.MediaTimeout, CallEventType.End);
                            EndLeg(l.Peer, EndReason.Failed, CallEventType.Failed);
                            endedNow = true;
                            break;
                        }
                    }
                }
                if (endedNow) Persist(call);
            }
            if (endedNow) OnCallEnded(call);
        }
        TickMigrations(now);
        foreach (var h in _handlers.Values)
        {
            var tg = FindTrunkGroup(h.TrunkGroup);
            if (tg is not null && Volatile.Read(ref h.OpenStreams) <= 0 && now - Volatile.Read(ref h.LastSeenTicks) > Ticks(tg.SignalingTimeout))
                RemoveHandler(h);
        }
    }

    private void OnCallEnded(ServerCall call)
    {
        foreach (var l in (ReadOnlySpan<ServerLeg>)[call.Caller, call.Callee])
        {
            if (Interlocked.Exchange(ref l.ReleasedSlot, 1) == 0) ReleaseCallSlot(l.ClientId);
            LegEnded?.Invoke(l);
        }
    }

    /// <summary>Takes one of the client's call slots unless it has <paramref name="limit"/> already (lock-free).</summary>
    private bool TryAcquireCallSlot(string clientId, int limit)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int current = _callsPerClient.GetOrAdd(clientId, 0);
            if (current >= limit) return false;
            if (_callsPerClient.TryUpdate(clientId, current + 1, current)) return true;
        }
        return false;
    }

    private void ReleaseCallSlot(string clientId)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            if (!_callsPerClient.TryGetValue(clientId, out int current) || current <= 0) return;
            if (_callsPerClient.TryUpdate(clientId, current - 1, current)) return;
        }
    }

    private void EndBoth(ServerCall call, string callerReason, string callerEvent, string calleeReason, string calleeEvent)
    {
        EndLeg(call.Caller, callerReason, callerEvent);
        EndLeg(call.Callee, calleeReason, calleeEvent);
    }

    private void EndLeg(ServerLeg leg, string reason, string eventType)
    {
        if (leg.State == CallState.Ended) return;
        leg.State = CallState.Ended;
        leg.Reason = reason;
        leg.Emit(eventType);
        if (leg.Call.EndedTicks == 0)
        {
            leg.Call.EndedTicks = Now;
            leg.Call.EndedAt = _time.GetUtcNow();
        }
        _logger.LogInformation("leg {Leg} ended: {Reason}", leg.Id, reason);
    }

    /// <summary>New directives for both legs from their current advertisements and hold flags.</summary>
    private static bool Renegotiate(ServerCall call, out string? why)
    {
        var caller = call.Caller;
        var callee = call.Callee;
        var r = DirectiveNegotiator.Negotiate(caller.Advertisement, callee.Advertisement, new CallMediaSetup(
            (caller.AudioSsrc, caller.VideoSsrc), (callee.AudioSsrc, callee.VideoSsrc), caller.Holds, callee.Holds,
            caller.Revision + 1, callee.Revision + 1));
        why = r.IncompatibleReason;
        if (!r.Succeeded) return false;
        caller.Revision++;
        callee.Revision++;
        caller.Directive = r.Caller;
        callee.Directive = r.Callee;
        return true;
    }

    private void EmitDirectives(ServerCall call)
    {
        long now = Now;
        foreach (var l in (ReadOnlySpan<ServerLeg>)[call.Caller, call.Callee])
        {
            if (l.State == CallState.Ended) continue;
            l.State = l.Directive!.Hold == HoldState.None ? CallState.Answered : CallState.Held;
            // Media may legitimately pause around a hold change: the media timer starts afresh.
            l.LastMediaTicks = now;
            l.Emit(CallEventType.Directive);
        }
    }

    private HandlerEntry? FindHandlerByUri(TrunkGroupOptions tg, string uri)
    {
        if (string.IsNullOrEmpty(uri)) return null;
        var id = uri[(uri.LastIndexOf('/') + 1)..];
        return _handlers.TryGetValue(id, out var h) && h.TrunkGroup == tg.Id ? h : null;
    }

    private static bool HasG711(Advertisement ad)
    {
        static bool Any(IReadOnlyList<CodecCapability>? list) => list is not null && list.Any(c => c.Codec is "PCMU" or "PCMA");
        return Any(ad.Audio?.Send) && Any(ad.Audio?.Receive);
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static uint RandomSsrc() => BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
}
