using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RtcClient.Protocol;
using RtcClient.Signaling;

namespace RtcClient;

/// <summary>
/// One call as this client sees it (its leg): status from the server's events, and the actions the
/// protocol allows. Every event from the server carries the complete resulting state, so the status
/// here is always the newest the server has sent.
/// </summary>
public sealed partial class Call : IAsyncDisposable
{
    private readonly CallClient _client;
    private readonly ICallSignaling _channel;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(CallStatus Status, TaskCompletionSource Waiter)> _waiters = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pings = new(StringComparer.Ordinal);
    private long _seq = -1;
    private Task? _eventLoop;
    private int _disposed;
    private bool _followingMigration;
    private volatile LegUris _uris;

    /// <summary>The client this call belongs to.</summary>
    internal CallClient Client => _client;

    internal Call(CallClient client, ICallSignaling channel, CallDocument document, ILogger logger)
    {
        _client = client;
        _channel = channel;
        _logger = logger;
        Id = document.Id;
        _uris = new LegUris(document.Uri, document.Events, document.Media);
        IsIncoming = document.Direction == "inbound";
        From = document.From;
        To = document.To;
        Identity = document.Identity;
        IdentityVerification = document.Verification;
        Apply(document.Seq, document.State, document.Reason, document.Directive, "document");
    }

    /// <summary>The leg id.</summary>
    public string Id { get; }
    /// <summary>The leg's URI on the server; absolute once the call has migrated to another instance.</summary>
    public string Uri => _uris.Call;
    /// <summary>The leg's media session URI (follows <see cref="Uri"/>).</summary>
    public string MediaUri => _uris.Media;
    /// <summary>True for a call this client received.</summary>
    public bool IsIncoming { get; }
    /// <summary>Caller.</summary>
    public string From { get; }
    /// <summary>Callee.</summary>
    public string To { get; }
    /// <summary>The caller's RFC 8224 Identity header value, if any.</summary>
    public string? Identity { get; }
    /// <summary>
    /// What the server found verifying the caller's identity (STIR/SHAKEN: verified or not, attestation
    /// level, calling number); null when the trunk group does not verify identities.
    /// </summary>
    public IdentityVerification? IdentityVerification { get; }
    /// <summary>Current status.</summary>
    public CallStatus Status { get; private set; }
    /// <summary>Why the call ended (protocol reason such as "hangup", "declined", "noanswer").</summary>
    public string? EndReason { get; private set; }
    /// <summary>When this client ended the call itself (lost stream, media timeout, failed migration): what happened, in words.</summary>
    public string? EndDetail { get; private set; }
    /// <summary>What this client sends and receives now, once the server decided.</summary>
    public Directive? Directive { get; private set; }
    /// <summary>Completes when the call has ended.</summary>
    public Task Completion => _ended.Task;

    internal string EventsUri => _uris.Events;

    /// <summary>Raised on every status or directive change (on a thread-pool thread).</summary>
    public event EventHandler<CallStatusChangedEventArgs>? StatusChanged;

    /// <summary>
    /// Answers an incoming call, optionally with a per-call advertisement. Without one, media starts with the
    /// directive the call already carries as the answer leaves (a round trip before the server confirms it).
    /// </summary>
    public async Task AnswerAsync(Advertisement? advertisement = null, CancellationToken cancellationToken = default)
    {
        if (advertisement is null) StartAnsweringMedia();
        try
        {
            await PostAsync(new CallEvent { Type = CallEventType.Answered, Advertisement = advertisement is null ? null : Media.E2eAdvertisement.Apply(advertisement, _client.Options) }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            StopAnsweringMedia();
            throw;
        }
    }

    internal Task PostAlertingAsync(CancellationToken cancellationToken)
        => PostAsync(new CallEvent { Type = CallEventType.Alerting }, cancellationToken);

    /// <summary>Declines an incoming call.</summary>
    public Task RejectAsync(CancellationToken cancellationToken = default)
        => PostAsync(new CallEvent { Type = CallEventType.Declined }, cancellationToken);

    /// <summary>Hangs up (or cancels a call still ringing). Does nothing once ended.</summary>
    public Task HangupAsync(CancellationToken cancellationToken = default)
        => Status == CallStatus.Ended ? Task.CompletedTask : PostAsync(new CallEvent { Type = CallEventType.End, Reason = Protocol.EndReason.Hangup }, cancellationToken);

    /// <summary>Puts the call on hold: this side stops sending.</summary>
    public Task HoldAsync(CancellationToken cancellationToken = default) => PostAsync(new CallEvent { Type = CallEventType.Hold }, cancellationToken);

    /// <summary>Takes the call off hold.</summary>
    public Task ResumeAsync(CancellationToken cancellationToken = default) => PostAsync(new CallEvent { Type = CallEventType.Resume }, cancellationToken);

    /// <summary>Asks for new directives from a new advertisement, e.g. to add video mid-call.</summary>
    public Task RenegotiateAsync(Advertisement advertisement, CancellationToken cancellationToken = default)
        => PostAsync(new CallEvent { Type = CallEventType.DirectiveRequest, Advertisement = Media.E2eAdvertisement.Apply(advertisement, _client.Options) }, cancellationToken);

    /// <summary>Measures the signaling round trip with ping/pong through the server.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[nonce] = pong;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await PostAsync(new CallEvent { Type = CallEventType.Ping, Nonce = nonce }, cancellationToken).ConfigureAwait(false);
            await pong.Task.WaitAsync(_channel.RequestTimeout, cancellationToken).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(started);
        }
        finally
        {
            _pings.TryRemove(nonce, out _);
        }
    }

    /// <summary>Waits until the call reaches <paramref name="status"/>; throws <see cref="RtcException"/> if it ends first.</summary>
    public Task WaitForStatusAsync(CallStatus status, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (Status == status) return Task.CompletedTask;
            if (Status == CallStatus.Ended)
                return Task.FromException(new RtcException($"the call ended ({EndReason}) before it was {status.ToString().ToLowerInvariant()}"));
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((status, waiter));
        }
        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Hangs up if the call is still up, and stops following its events.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (Status != CallStatus.Ended)
        {
            try { await HangupAsync(CancellationToken.None).ConfigureAwait(false); }
            catch (RtcException e) { _logger.LogDebug(e, "hang-up on dispose failed"); }
        }
        await StopMediaAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_eventLoop is not null)
        {
            try { await _eventLoop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        _client.Forget(this);
        _stop.Dispose();
    }

    internal void StartEvents()
    {
        _eventLoop = Task.Run(() => EventLoopAsync(_stop.Token));
        StartMediaSession();
    }

    private async Task PostAsync(CallEvent e, CancellationToken cancellationToken)
    {
        CallDocument document;
        try
        {
            document = await _channel.PostEventAsync(Uri, e, cancellationToken).ConfigureAwait(false);
        }
        catch (RtcException ex) when (ex.Problem is { Type: ProblemType.Migrated, Target: { } target })
        {
            // The event raced a migration: it belongs at the call's new URI (section 6.7). Once only.
            if (!Retarget(target, out var why)) throw new RtcException($"the call moved to {target}, which this client cannot follow: {why}", ex);
            document = await _channel.PostEventAsync(Uri, e, cancellationToken).ConfigureAwait(false);
        }
        Apply(document.Seq, document.State, document.Reason, document.Directive, e.Type);
    }

    /// <summary>
    /// Follows the leg's events: on its URI, then on each URI the server moves it to (migrate), until the call
    /// ends, the stream is lost (the call ends as signaling-timeout) or the client cannot follow a migration.
    /// </summary>
    private async Task EventLoopAsync(CancellationToken cancellationToken)
    {
        string? resumeAfter = null;
        bool migrating = false;
        int hops = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string? target;
            try
            {
                target = await ReadEventsAsync(resumeAfter, migrating, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (_followingMigration && ex is RtcException or OperationCanceledException)
            {
                _logger.LogWarning(ex, "call {Call}: could not follow its migration to {Uri}", Id, Uri);
                EndLocally(Protocol.EndReason.MigrationFailed, $"the call moved to {Uri}, which did not take this client's events: {ex.Message}");
                return;
            }
            catch (RtcException ex)
            {
                _logger.LogWarning(ex, "call {Call}: event stream lost", Id);
                EndLocally(Protocol.EndReason.SignalingTimeout, $"the event stream was lost: {ex.Message}");
                return;
            }
            if (target is null) return;
            // Instances that keep sending the call on (a misconfiguration) must not keep the client going round.
            if (_followingMigration && ++hops > MaxMovesWithoutEvents)
            {
                EndLocally(Protocol.EndReason.MigrationFailed, $"the call was moved {hops} times without its events opening anywhere (last to {target})");
                return;
            }
            if (!_followingMigration) hops = 0;
            if (!Retarget(target, out var why))
            {
                _logger.LogWarning("call {Call}: migrate to {Target} refused: {Why}", Id, target, why);
                EndLocally(Protocol.EndReason.MigrationFailed, $"the server moved the call to {target}, which this client cannot follow: {why}");
                return;
            }
            migrating = true;
            _followingMigration = true;
            resumeAfter = CurrentSeq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Reads the current URI's event stream until the call ends (null) or the server moves the call (its new
    /// URI). After a migration the new stream must open within the request timeout.
    /// </summary>
    private async Task<string?> ReadEventsAsync(string? resumeAfter, bool migrating, CancellationToken cancellationToken)
    {
        using var opening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (migrating) opening.CancelAfter(_channel.RequestTimeout);
        string reading = Uri;
        bool opened = false;
        void Opened()
        {
            if (opened) return;
            opened = true;
            if (!migrating) return;
            // The target took the stream: from here a break is an ordinary signaling loss.
            _followingMigration = false;
            opening.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
            OnMigrated();
        }
        try
        {
            await foreach (var sse in _channel.EventsAsync(EventsUri, IsFinal, _client.SignalingTimeout, resumeAfter, Opened, opening.Token).ConfigureAwait(false))
            {
                CallEvent? e;
                try { e = JsonSerializer.Deserialize(sse.Data, RiptJsonContext.Default.CallEvent); }
                catch (JsonException ex)
                {
                    _logger.LogWarning(ex, "call {Call}: malformed event ignored", Id);
                    continue;
                }
                if (e is null) continue;
                switch (e.Type)
                {
                    case CallEventType.Ping:
                        _ = PostAsync(new CallEvent { Type = CallEventType.Pong, Nonce = e.Nonce }, cancellationToken);
                        break;
                    case CallEventType.Pong when e.Nonce is not null && _pings.TryGetValue(e.Nonce, out var waiter):
                        waiter.TrySetResult();
                        break;
                }
                if (e.Seq is { } seq && e.State is not null) Apply(seq, e.State, e.Reason, e.Directive, e.Type);
                // A migrate naming the URI being read (a replay at the new instance) changes nothing.
                if (e.Type == CallEventType.Migrate && e.Target is { } target && target != reading) return target;
            }
            return null;
        }
        catch (RtcException ex) when (ex.Problem is { Type: ProblemType.Migrated, Target: { } moved })
        {
            // The migrate event was missed (the stream broke just before it): the old instance says where the call went.
            return moved;
        }
    }

    private static bool IsFinal(ServerSentEvent e)
    {
        try
        {
            return JsonSerializer.Deserialize(e.Data, RiptJsonContext.Default.CallEvent)?.State == CallState.Ended;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Ends the call on this side only (the server could not be told, or is not needed): status Ended with <paramref name="reason"/>.</summary>
    private void EndLocally(string reason, string detail)
    {
        if (Status == CallStatus.Ended) return;
        EndDetail = detail;
        Apply(long.MaxValue, CallState.Ended, reason, Directive, "local");
    }

    private long CurrentSeq { get { lock (_gate) return _seq; } }

    /// <summary>Applies server state if it is newer than what we have (events can race request responses).</summary>
    private void Apply(long seq, string state, string? reason, Directive? directive, string eventType)
    {
        CallStatusChangedEventArgs? changed = null;
        List<(CallStatus Status, TaskCompletionSource Waiter)>? wake = null;
        bool ended = false;
        lock (_gate)
        {
            if (seq <= _seq) return;
            _seq = seq;
            var previous = Status;
            var status = Parse(state);
            bool directiveChanged = directive is not null && directive.Revision != Directive?.Revision;
            if (directive is not null) Directive = directive;
            Status = status;
            if (status == CallStatus.Ended) EndReason = reason;
            if (previous != status || directiveChanged) changed = new CallStatusChangedEventArgs(previous, status, reason, Directive, eventType);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Status == status || status == CallStatus.Ended)
                {
                    (wake ??= []).Add(_waiters[i]);
                    _waiters.RemoveAt(i);
                }
            }
            ended = status == CallStatus.Ended;
        }
        if (changed is not null) OnMediaStateChanged(changed);
        // Waiters first: application subscribers run last, isolated, so none of them can stall the call.
        if (wake is not null)
        {
            foreach (var (wanted, waiter) in wake)
            {
                if (ended && wanted != CallStatus.Ended) waiter.TrySetException(new RtcException($"the call ended ({EndReason}) before it was {wanted.ToString().ToLowerInvariant()}"));
                else waiter.TrySetResult();
            }
        }
        if (ended) _ended.TrySetResult();
        if (changed is not null) SafeEvent.Raise(StatusChanged, this, changed, _logger, nameof(StatusChanged));
    }

    private static CallStatus Parse(string state) => state switch
    {
        CallState.Proceeding => CallStatus.Proceeding,
        CallState.Alerting => CallStatus.Alerting,
        CallState.Answered => CallStatus.Answered,
        CallState.Held => CallStatus.Held,
        _ => CallStatus.Ended,
    };
}
