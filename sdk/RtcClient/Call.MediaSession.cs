using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RtcClient.Media;
using RtcClient.Protocol;

namespace RtcClient;

// Keeping a call's media session alive (docs/protocol.md sections 6.6 and 7.1): a lost session is reopened
// with bounded retries and backoff within the media timeout; an answered call that receives nothing for
// the media timeout ends as media-timeout. The client's one watchdog timer calls CheckMedia.
public sealed partial class Call
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestReconnectDelay = TimeSpan.FromSeconds(1);
    private int _reconnecting;
    private int _mediaReconnects;
    private int _mediaTimedOut;

    /// <summary>How many times the media session was reopened (after it was lost, or when the call migrated).</summary>
    public int MediaReconnects => Volatile.Read(ref _mediaReconnects);

    /// <summary>
    /// Opens a media session at the leg's current media URI. <paramref name="optimistic"/> returns as soon as the
    /// CONNECT is sent (the call's first session: its round trip overlaps the answer, and a refusal shows as a lost
    /// session); reopening waits for the server's answer, so a refused session is retried with backoff.
    /// </summary>
    private async Task<IMediaSession> OpenMediaSessionAsync(bool optimistic, CancellationToken cancellationToken)
    {
        var options = _client.Options;
        var transport = _client.MediaTransport
            ?? throw new RtcException("no media transport: the HTTP handler is not the SDK's HTTP/3 one and RtcClientOptions.MediaTransport is not set");
        var uri = new System.Uri(options.ServerUri, MediaUri);
        return optimistic
            ? await transport.StartAsync(uri, options.Token, cancellationToken).ConfigureAwait(false)
            : await transport.OpenAsync(uri, options.Token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The media's session ended without us closing it.</summary>
    internal void OnMediaSessionLost(CallMedia media)
    {
        if (!ReferenceEquals(Volatile.Read(ref _media), media)) return;
        // Still ringing (and not answering): the session opened ahead was refused or lost. That must not end the call;
        // the media goes, and the answer opens a new session.
        if (Status is CallStatus.Proceeding or CallStatus.Alerting && !_answering)
        {
            DropRingingMedia(media);
            return;
        }
        RequestMediaReconnect("the media session was lost");
    }

    /// <summary>Called by the client's watchdog: reopens the session when media stopped arriving, ends the call when it stays away.</summary>
    internal void CheckMedia()
    {
        var media = Volatile.Read(ref _media);
        if (media is null || Status != CallStatus.Answered || Directive?.Hold != HoldState.None) return;
        var idle = media.SinceLastReceived;
        var timeout = _client.MediaTimeout;
        if (idle > timeout) EndForMediaTimeout($"no media arrived for {idle.TotalMilliseconds:F0} ms");
        // The session may have died silently (a path that drops everything): try a new one before giving up.
        else if (idle > timeout / 2) RequestMediaReconnect($"no media for {idle.TotalMilliseconds:F0} ms");
    }

    private void RequestMediaReconnect(string why)
    {
        if (Status == CallStatus.Ended || Interlocked.Exchange(ref _reconnecting, 1) == 1) return;
        _logger.LogInformation("call {Call}: reopening the media session ({Why})", Id, why);
        _ = Task.Run(ReconnectMediaAsync);
    }

    private async Task ReconnectMediaAsync()
    {
        try
        {
            long started = Stopwatch.GetTimestamp();
            var budget = _client.MediaTimeout;
            var backoff = FirstReconnectDelay;
            for (int attempt = 1; ; attempt++)
            {
                if (Status == CallStatus.Ended || Volatile.Read(ref _media) is null) return;
                var left = budget - Stopwatch.GetElapsedTime(started);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(left < _channel.RequestTimeout ? left : _channel.RequestTimeout);
                    var session = await OpenMediaSessionAsync(optimistic: false, timeout.Token).ConfigureAwait(false);
                    if (await SwapMediaSessionAsync(session).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref _mediaReconnects);
                        _logger.LogInformation("call {Call}: media session reopened (attempt {Attempt})", Id, attempt);
                    }
                    return;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _logger.LogDebug(e, "call {Call}: reopening media, attempt {Attempt} failed", Id, attempt);
                }
                if (Stopwatch.GetElapsedTime(started) + backoff >= budget) break;
                await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                backoff = backoff * 2 < LongestReconnectDelay ? backoff * 2 : LongestReconnectDelay;
            }
            EndForMediaTimeout($"the media session could not be reopened within {budget.TotalMilliseconds:F0} ms");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The call was disposed while reconnecting.
        }
        finally
        {
            Volatile.Write(ref _reconnecting, 0);
        }
    }

    /// <summary>Puts a new session under the running media, on the media chain; false (session closed) when media has stopped meanwhile.</summary>
    private Task<bool> SwapMediaSessionAsync(IMediaSession session)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_mediaGate)
        {
            _mediaWork = _mediaWork.ContinueWith(async _ =>
            {
                try
                {
                    var media = Volatile.Read(ref _media);
                    if (media is null || _mediaStopped || Status == CallStatus.Ended)
                    {
                        await session.DisposeAsync().ConfigureAwait(false);
                        done.TrySetResult(false);
                        return;
                    }
                    await media.ReplaceSessionAsync(session).ConfigureAwait(false);
                    done.TrySetResult(true);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    done.TrySetException(e);
                }
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
        return done.Task;
    }

    /// <summary>Ends the call as media-timeout: tells the server (best effort), and ends here whatever it answers.</summary>
    private void EndForMediaTimeout(string detail)
    {
        if (Interlocked.Exchange(ref _mediaTimedOut, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            _logger.LogWarning("call {Call}: {Detail}; ending it (media-timeout)", Id, detail);
            EndDetail = detail;
            try
            {
                using var timeout = new CancellationTokenSource(_channel.RequestTimeout);
                await PostAsync(new CallEvent { Type = CallEventType.End, Reason = Protocol.EndReason.MediaTimeout }, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RtcException or OperationCanceledException)
            {
                _logger.LogDebug(e, "call {Call}: the server could not be told of the media timeout", Id);
            }
            EndLocally(Protocol.EndReason.MediaTimeout, detail);
        });
    }
}
