using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RtcClient.Media;
using RtcClient.Protocol;
using RtcClient.Server.Calls;
using RtcClient.Server.Negotiation;

namespace RtcClient.Server.Media;

/// <summary>
/// Forwards media between the two legs of each call without decoding it (docs/protocol.md section 7):
/// each datagram's flow id is mapped from the sender's send flow to the receiver's receive flow, and
/// nothing else is touched, so E2E-encrypted media passes unchanged. Drops what the leg may not send
/// (unknown flows, before answer, while holding, above its rate) and counts it.
/// </summary>
public sealed class MediaRelay
{
    /// <summary>How many times its directive's bitrate a leg may send before it is throttled.</summary>
    public const int RateHeadroom = 4;

    private readonly CallRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IMediaSession> _sessions = new(StringComparer.Ordinal);
    private long _forwarded, _noPeer, _unknownFlow, _notLive, _rateLimited, _malformed, _heldForwarded;

    /// <summary>Creates the relay and closes a leg's media session when its call ends.</summary>
    public MediaRelay(CallRegistry registry, TimeProvider? time = null, ILogger<MediaRelay>? logger = null)
    {
        _registry = registry;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        registry.LegEnded += leg =>
        {
            if (_sessions.TryRemove(leg.Id, out var session)) _ = session.DisposeAsync().AsTask();
        };
        // A migrated leg's client moves to the new instance on its own; until it has, this relay still forwards.
        registry.LegMigrated += leg => _ = CloseAfterAsync(leg.Id, registry.MigrationGracePeriod);
        // What a leg sent a moment before the answer reached us goes out now.
        registry.CallAnswered += call =>
        {
            ForwardPending(call.Callee);
            ForwardPending(call.Caller);
        };
    }

    /// <summary>Optional observer of forwarded datagrams.</summary>
    public IMediaRelayObserver? Observer { get; set; }

    /// <summary>Counters now.</summary>
    public MediaRelayStatistics Statistics => new(Interlocked.Read(ref _forwarded), Interlocked.Read(ref _noPeer), Interlocked.Read(ref _unknownFlow),
        Interlocked.Read(ref _notLive), Interlocked.Read(ref _rateLimited), Interlocked.Read(ref _malformed))
    { ForwardedAfterWaiting = Interlocked.Read(ref _heldForwarded) };

    /// <summary>
    /// Runs a leg's media session until it ends: receives the client's datagrams and forwards them to
    /// the other leg. A second session for the same leg replaces the first (e.g. after migration).
    /// </summary>
    public async Task RunAsync(ServerLeg leg, IMediaSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        ArgumentNullException.ThrowIfNull(session);
        if (leg.State == CallState.Ended)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            return;
        }
        IMediaSession? replaced = null;
        _sessions.AddOrUpdate(leg.Id, session, (_, old) =>
        {
            replaced = ReferenceEquals(old, session) ? null : old;
            return session;
        });
        if (replaced is not null) await replaced.DisposeAsync().ConfigureAwait(false);
        // The other leg's first packets may have waited for this session.
        ForwardPending(leg.Peer);
        // The call may have ended between the state check and publishing the session (LegEnded found nothing).
        if (leg.State == CallState.Ended && _sessions.TryRemove(new KeyValuePair<string, IMediaSession>(leg.Id, session)))
        {
            await session.DisposeAsync().ConfigureAwait(false);
            return;
        }
        var limiter = new LegRateLimiter(_time.TimestampFrequency, _time.GetTimestamp());
        byte[]? buffer = null;
        try
        {
            if (session is IPushMediaSession push)
            {
                // Forwarded on the connection's receive loop: no copy into a queue, no task per datagram.
                await push.ReceiveAllAsync(d => ForwardCopy(leg, d, limiter), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                buffer = ArrayPool<byte>.Shared.Rent(65536);
                while (!cancellationToken.IsCancellationRequested)
                {
                    int n = await session.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (n == 0) break;
                    Forward(leg, buffer.AsSpan(0, n), limiter);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The transport went away under us: the session has ended.
            _logger.LogDebug(e, "media session of {Leg} ended", leg.Id);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            // Still ours (not replaced, not closed for the call's end): the relay owns it, so it closes it.
            if (_sessions.TryRemove(new KeyValuePair<string, IMediaSession>(leg.Id, session)))
                await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes a leg's media session, if it has one, without touching the call: the client opens a new one
    /// (docs/protocol.md section 7.1). For operators moving media, and for tests of reconnection.
    /// </summary>
    public async Task<bool> DisconnectAsync(string legId)
    {
        if (!_sessions.TryRemove(legId, out var session)) return false;
        await session.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>True while the leg has a media session at this relay.</summary>
    public bool HasSession(string legId) => _sessions.ContainsKey(legId);

    private async Task CloseAfterAsync(string legId, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time).ConfigureAwait(false);
            await DisconnectAsync(legId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogDebug(e, "closing the migrated leg {Leg}'s media session failed", legId);
        }
    }

    private void ForwardCopy(ServerLeg leg, ReadOnlySpan<byte> datagram, LegRateLimiter limiter)
    {
        // The flow id is rewritten in place, so forward a copy of the transport's buffer.
        byte[]? rented = null;
        Span<byte> copy = datagram.Length <= 2048 ? stackalloc byte[2048] : (rented = ArrayPool<byte>.Shared.Rent(datagram.Length));
        try
        {
            datagram.CopyTo(copy);
            // One receive loop per connection calls this, but a datagram capsule on the CONNECT stream may race it.
            lock (limiter)
                Forward(leg, copy[..datagram.Length], limiter);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Forward(ServerLeg leg, Span<byte> datagram, LegRateLimiter limiter) => _ = Forward(leg, datagram, limiter, _time.GetTimestamp());

    /// <summary>Keeps a datagram that came a moment too early (bounded: <see cref="PendingMedia"/>).</summary>
    private void Wait(ServerLeg leg, ReadOnlySpan<byte> datagram, long arrived)
    {
        var pending = leg.PendingMedia ?? Interlocked.CompareExchange(ref leg.PendingMedia, new PendingMedia(), null) ?? leg.PendingMedia!;
        bool pushedOut;
        lock (pending)
            pushedOut = pending.Add(datagram, arrived);
        if (pushedOut) Interlocked.Increment(ref _notLive);
        // The answer or the far end's session may have come while this one was being kept: their flush may have run
        // before it was added, so look again rather than leave it for the leg's next packet.
        if (leg.State is CallState.Answered or CallState.Held && _sessions.ContainsKey(leg.Peer.Id))
            ForwardPending(leg);
    }

    /// <summary>Forwards what waited on <paramref name="leg"/>, oldest first; what waited too long is dropped.</summary>
    private void ForwardPending(ServerLeg leg)
    {
        if (leg.PendingMedia is not { Count: > 0 } pending) return;
        (byte[] Buffer, int Length, long Ticks)[] waiting;
        lock (pending)
            waiting = pending.TakeAll();
        long now = _time.GetTimestamp();
        foreach (var (buffer, length, arrived) in waiting)
        {
            if (_time.GetElapsedTime(arrived, now) > PendingMedia.MaxAge)
            {
                Interlocked.Increment(ref _notLive);
                continue;
            }
            if (Forward(leg, buffer.AsSpan(0, length), null, arrived)) Interlocked.Increment(ref _heldForwarded);
        }
    }

    /// <summary>Forwards one datagram, or keeps or drops it (counted); true when it went to the far end.</summary>
    private bool Forward(ServerLeg leg, Span<byte> datagram, LegRateLimiter? limiter, long arrived)
    {
        // Flow ids of the layout are single-byte varints (< 64), so the rewrite keeps the length.
        if (datagram.Length < 2 || datagram[0] >= 64)
        {
            Interlocked.Increment(ref _malformed);
            return false;
        }
        long target = FlowIds.ForwardTo(datagram[0]);
        if (target < 0)
        {
            Interlocked.Increment(ref _unknownFlow);
            return false;
        }
        var directive = leg.Directive;
        if (leg.State is not (CallState.Answered or CallState.Held) || directive is null || directive.Hold is HoldState.Local or HoldState.Both)
        {
            // A callee sends from the moment it posts its answer: its first packets may beat the answer here. A caller
            // has no such reason (it learns of the answer from us), so what it sends before is dropped.
            if (leg.Inbound && leg.State is CallState.Proceeding or CallState.Alerting && directive is not null) Wait(leg, datagram, arrived);
            else Interlocked.Increment(ref _notLive);
            return false;
        }
        if (limiter is not null && !ReferenceEquals(limiter.Directive, directive))
        {
            // Per directive, not per datagram: the sum walks the flow list (and allocated an enumerator each time).
            long bitrate = 0;
            foreach (var f in directive.Send)
                bitrate += f.Bitrate ?? 0;
            limiter.BytesPerSecond = RateHeadroom * Math.Max(8000, bitrate) / 8.0 + 20_000;
            limiter.Directive = directive;
        }
        // Waiting datagrams go on without the bucket (no limiter): at most PendingMedia.Capacity per flush.
        if (limiter is not null && !limiter.TryConsume(datagram.Length, _time.GetTimestamp()))
        {
            Interlocked.Increment(ref _rateLimited);
            return false;
        }
        // Only accepted media keeps the leg's media timer alive.
        _registry.MediaReceived(leg);
        if (!_sessions.TryGetValue(leg.Peer.Id, out var peer))
        {
            // The far end's session may be a moment behind the answer (its CONNECT is in flight).
            if (leg.Peer.State != CallState.Ended) Wait(leg, datagram, arrived);
            else Interlocked.Increment(ref _noPeer);
            return false;
        }
        if (limiter is not null && leg.PendingMedia is { Count: > 0 })
            ForwardPending(leg); // older ones first
        datagram[0] = (byte)target;
        try
        {
            Observer?.OnForward(leg.Id, datagram);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "media relay observer threw");
        }
        if (peer.TrySend(datagram))
        {
            Interlocked.Increment(ref _forwarded);
            return true;
        }
        _logger.LogDebug("media for {Leg} dropped by its session", leg.Peer.Id);
        return false;
    }
}
