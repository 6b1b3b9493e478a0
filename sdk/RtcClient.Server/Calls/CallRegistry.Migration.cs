using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RtcClient.Protocol;
using RtcClient.Server.Store;

namespace RtcClient.Server.Calls;

// Calls moving between instances that share one call store (docs/protocol.md section 6.7): this
// instance hands a call over (migrate), another takes it over (adopt), and requests that reach the
// wrong instance are told where the call is (421).
public sealed partial class CallRegistry
{
    private readonly ConcurrentDictionary<string, (ServerCall Call, long Deadline)> _handedOff = new(StringComparer.Ordinal);
    private readonly Lock _adoptGate = new();
    private string? _instance;
    private volatile bool _draining;

    /// <summary>
    /// This instance's public origin: its name as a call's owner in the store and the base of migrate targets.
    /// Set once, before calls are placed (<see cref="Hosting.RiptServerHost"/> sets its bound address).
    /// </summary>
    public Uri? InstanceUri
    {
        get => _instance is null ? null : new Uri(_instance);
        set => _instance = value is null ? null : Origin(value);
    }

    /// <summary>True once <see cref="DrainAsync"/> started: new calls are refused with 503.</summary>
    public bool IsDraining => _draining;

    /// <summary>Raised (outside any lock) for each leg of a call handed to another instance; the media relay keeps its old session for a grace period.</summary>
    public event Action<ServerLeg>? LegMigrated;

    /// <summary>How long the relay keeps a migrated leg's old media session.</summary>
    internal TimeSpan MigrationGracePeriod => _options.MigrationGracePeriod;

    /// <summary>
    /// Hands a call (by call or leg id) to the instance at <paramref name="target"/>, which must share this
    /// instance's call store: both legs get a <c>migrate</c> event naming their URI there, and this instance
    /// stops serving them. Both legs move together, so the call's media relay stays in one place.
    /// </summary>
    /// <returns>Null on success, otherwise why the call cannot move (ended, already moved, has an in-process leg).</returns>
    public string? Migrate(string callOrLegId, Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var self = _instance ?? throw new InvalidOperationException("InstanceUri is not set: this instance cannot hand calls over");
        if (!target.IsAbsoluteUri || target.Scheme is not ("https" or "http"))
            throw new ArgumentException("the target must be an absolute http(s) URI of another instance", nameof(target));
        string to = Origin(target);
        if (to == self) return "the target is this instance";
        var call = FindCall(callOrLegId);
        if (call is null) return "no such call on this instance";
        lock (call.Gate)
        {
            if (call.EndedTicks != 0) return "the call has ended";
            if (call.MigratedTo is not null) return "the call has already moved";
            if (call.HasInProcessLeg) return "an application in this process holds a leg";
            var caller = call.Caller;
            var callee = call.Callee;
            var kept = (caller.LastEventType, caller.LastEventJson, callee.LastEventType, callee.LastEventJson);
            var (callerSeq, callerJson) = caller.PrepareMigrate(to + caller.Uri);
            var (calleeSeq, calleeJson) = callee.PrepareMigrate(to + callee.Uri);
            var record = ToRecord(call, to, handoff: true);
            // The record goes first: a client that follows the event at once must find the call handed over.
            record = record with { Caller = record.Caller with { LastSeq = callerSeq }, Callee = record.Callee with { LastSeq = calleeSeq } };
            if (!_store.TrySave(record))
            {
                (caller.LastEventType, caller.LastEventJson, callee.LastEventType, callee.LastEventJson) = kept;
                return "the call store refused the handoff (the call changed elsewhere)";
            }
            call.Version = record.Version;
            call.MigratedTo = to;
            caller.EmitPrepared(callerJson);
            callee.EmitPrepared(calleeJson);
        }
        _handedOff[call.Id] = (call, Now + Ticks(_options.HandoffTimeout));
        foreach (var l in (ReadOnlySpan<ServerLeg>)[call.Caller, call.Callee])
        {
            _legs.TryRemove(l.Id, out _);
            if (Interlocked.Exchange(ref l.ReleasedSlot, 1) == 0) ReleaseCallSlot(l.ClientId);
        }
        _logger.LogInformation("call {Call} handed over to {Target}", call.Id, to);
        foreach (var l in (ReadOnlySpan<ServerLeg>)[call.Caller, call.Callee])
        {
            try
            {
                LegMigrated?.Invoke(l);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "a LegMigrated subscriber threw");
            }
        }
        return null;
    }

    /// <summary>
    /// Drains this instance before it stops: refuses new calls (503), hands every live call to
    /// <paramref name="target"/>, and waits up to <paramref name="timeout"/> until the target has taken
    /// them over. Calls that cannot move (a leg held by an in-process application) go on here until they
    /// end or the timeout passes; then they end with reason <c>migrated-away</c>. When this returns, the
    /// instance serves no live call and can stop.
    /// </summary>
    public async Task<DrainResult> DrainAsync(Uri target, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        _draining = true;
        var migrated = new List<string>();
        var remaining = new List<string>();
        var calls = _legs.Values.Where(l => !l.Inbound).Select(l => l.Call).Distinct().ToList();
        foreach (var call in calls)
        {
            var why = Migrate(call.Id, target);
            if (why is null) migrated.Add(call.Id);
            else if (call.EndedTicks == 0) remaining.Add(call.Id);
        }
        var interval = _options.TimerResolution;
        long deadline = Now + Ticks(timeout);
        while ((migrated.Any(id => !IsTakenOver(id)) || remaining.Any(id => FindCall(id) is { EndedTicks: 0 })) && Now < deadline)
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
        var takenOver = migrated.Where(IsTakenOver).ToList();
        var ended = new List<string>();
        foreach (var id in remaining)
        {
            if (FindCall(id) is { } call && EndCall(call, EndReason.MigratedAway)) ended.Add(id);
        }
        _logger.LogInformation("drained: {Migrated} calls handed over, {TakenOver} taken over, {Remaining} could not move, {Ended} of them ended",
            migrated.Count, takenOver.Count, remaining.Count, ended.Count);
        return new DrainResult(migrated, takenOver, remaining, ended);
    }

    /// <summary>
    /// For a leg of <paramref name="clientId"/> that another instance now serves: its URI there (the request
    /// is answered 421 with it); null when the leg is unknown or not that client's.
    /// </summary>
    public string? MovedTarget(string tg, string legId, string clientId)
    {
        if (_instance is null) return null;
        var record = _store.FindByLeg(legId);
        if (record is null || record.Owner == _instance || record.TrunkGroup != tg) return null;
        var leg = record.Caller.Id == legId ? record.Caller : record.Callee;
        return leg.ClientId == clientId ? record.Owner + $"{RiptPaths.TrunkGroup(tg)}/calls/{legId}" : null;
    }

    /// <summary>The 421 answer for a request on a leg this instance handed over.</summary>
    private static RegistryOutcome<T> Moved<T>(ServerLeg leg, string instance)
        => RegistryOutcome.Fail<T>(421, ProblemType.Migrated, "Call migrated", $"the call is now served at {instance}") with { Target = instance + leg.Uri };

    /// <summary>Ends both legs of a live call with <paramref name="reason"/>; false when it had ended or moved.</summary>
    private bool EndCall(ServerCall call, string reason)
    {
        lock (call.Gate)
        {
            if (call.EndedTicks != 0 || call.MigratedTo is not null) return false;
            EndBoth(call, reason, CallEventType.End, reason, CallEventType.End);
            Persist(call);
        }
        OnCallEnded(call);
        return true;
    }

    private bool IsTakenOver(string callId)
        => _store.Find(callId) is not { } r || (!r.Handoff && r.Owner != _instance);

    private ServerCall? FindCall(string callOrLegId)
    {
        if (_legs.TryGetValue(callOrLegId, out var leg)) return leg.Call;
        foreach (var l in _legs.Values)
        {
            if (l.Call.Id == callOrLegId) return l.Call;
        }
        return null;
    }

    /// <summary>Writes the call's state to the store. Caller holds the call's lock.</summary>
    private void Persist(ServerCall call)
    {
        if (call.MigratedTo is not null) return;
        var record = ToRecord(call, _instance ?? LocalOwner, handoff: false);
        if (_store.TrySave(record)) call.Version = record.Version;
        else _logger.LogError("call {Call}: the call store holds a newer version written elsewhere; this change is not stored", call.Id);
    }

    private CallRecord ToRecord(ServerCall call, string owner, bool handoff) => new()
    {
        Id = call.Id, Version = call.Version + 1, Owner = owner, Handoff = handoff, TrunkGroup = call.TrunkGroup.Id,
        From = call.From, To = call.To, Identity = call.Identity, Verification = call.Verification, CreatedAt = call.CreatedAt, EndedAt = call.EndedAt,
        Caller = call.Caller.ToRecord(), Callee = call.Callee.ToRecord(),
    };

    /// <summary>Takes over a call the store says this instance owns but that it does not hold (handed over, or from before a restart).</summary>
    private ServerLeg? TryAdopt(string legId)
    {
        if (_instance is null) return null;
        var record = _store.FindByLeg(legId);
        if (record is null || record.Owner != _instance) return null;
        ServerCall call;
        lock (_adoptGate)
        {
            if (_legs.TryGetValue(legId, out var existing)) return existing;
            if (FindTrunkGroup(record.TrunkGroup) is not { } tg)
            {
                _logger.LogError("call {Call} cannot be taken over: no trunk group '{Tg}' here", record.Id, record.TrunkGroup);
                return null;
            }
            long now = Now;
            var utcNow = _time.GetUtcNow();
            call = new ServerCall(record.Id, tg, record.From, record.To, record.Identity, record.Verification, now - Ticks(utcNow - record.CreatedAt), record.CreatedAt);
            call.Caller = ServerLeg.FromRecord(call, record.Caller, _options.EventBufferLength, now);
            call.Callee = ServerLeg.FromRecord(call, record.Callee, _options.EventBufferLength, now);
            if (record.EndedAt is { } endedAt)
            {
                call.EndedAt = endedAt;
                call.EndedTicks = Math.Max(1, now - Ticks(utcNow - endedAt));
            }
            var claimed = record with { Version = record.Version + 1, Handoff = false };
            if (!_store.TrySave(claimed)) return null;
            call.Version = claimed.Version;
            foreach (var l in (ReadOnlySpan<ServerLeg>)[call.Caller, call.Callee])
            {
                // The call was admitted where it started: its slots count here, even above the limit.
                if (call.EndedTicks == 0) _callsPerClient.AddOrUpdate(l.ClientId, 1, (_, n) => n + 1);
                else l.ReleasedSlot = 1;
                _legs[l.Id] = l;
            }
        }
        _logger.LogInformation("took over call {Call} ({State})", call.Id, call.Caller.State);
        return call.Caller.Id == legId ? call.Caller : call.Callee;
    }

    /// <summary>Takes over calls handed to this instance; ends handoffs of this instance that nobody took.</summary>
    private void TickMigrations(long now)
    {
        if (_instance is null) return;
        foreach (var record in _store.FindHandoffs(_instance))
            TryAdopt(record.Caller.Id);
        foreach (var (id, entry) in _handedOff)
        {
            var record = _store.Find(id);
            if (record is null || !record.Handoff || record.Owner != entry.Call.MigratedTo)
            {
                _handedOff.TryRemove(id, out _);
                continue;
            }
            if (now < entry.Deadline) continue;
            // The target never took the call: nobody serves it, so it ends for good.
            var ended = record with
            {
                Version = record.Version + 1, Owner = _instance, Handoff = false, EndedAt = _time.GetUtcNow(),
                Caller = record.Caller with { State = CallState.Ended, Reason = EndReason.Failed },
                Callee = record.Callee with { State = CallState.Ended, Reason = EndReason.Failed },
            };
            if (_store.TrySave(ended))
            {
                _store.Remove(id);
                _logger.LogWarning("call {Call} was not taken over by {Target} in time and has ended", id, entry.Call.MigratedTo);
            }
            _handedOff.TryRemove(id, out _);
        }
    }

    /// <summary>Owner name of an instance that has no public origin (it cannot hand calls over).</summary>
    private const string LocalOwner = "local";

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}
