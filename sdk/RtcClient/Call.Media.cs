using Microsoft.Extensions.Logging;
using RtcClient.Media;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;
using RtcClient.SFrame;

namespace RtcClient;

// The media side of a call: the media session is started as soon as the call exists, without waiting for
// the server's answer to it (the server accepts it before answer and forwards nothing until the call is
// answered). The streams are built from the directive the call document already carries, ready to receive;
// they send once the call is answered (a callee from the moment it posts its answer), are re-configured on
// every new directive and stop when the call ends. So neither the session's round trip nor building the
// streams follows the answer. Hook work runs one step at a time on a chain, never on the caller's thread.
public sealed partial class Call
{
    private static readonly TimeSpan DefaultDtmfDuration = TimeSpan.FromMilliseconds(100);

    private readonly Lock _mediaGate = new();
    private readonly TaskCompletionSource _mediaConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _mediaWork = Task.CompletedTask;
    private CallMedia? _media;
    private CallStatistics? _finalStatistics;
    private bool _mediaStopped;
    private volatile bool _answering;
    private volatile IAudioFrameSource? _audioSource;
    private volatile IAudioFrameSink? _audioSink;
    private volatile IVideoFrameSource? _videoSource;
    private volatile IVideoFrameSink? _videoSink;

    /// <summary>What this side sends; null sends silence. Converted from its format to the codec's when they differ.</summary>
    public IAudioFrameSource? AudioSource { get => _audioSource; set => _audioSource = value; }

    /// <summary>Where received audio goes, converted to the sink's format; null discards it.</summary>
    public IAudioFrameSink? AudioSink { get => _audioSink; set => _audioSink = value; }

    /// <summary>Pictures this side sends when the directive has video; null sends none.</summary>
    public IVideoFrameSource? VideoSource { get => _videoSource; set => _videoSource = value; }

    /// <summary>Where decoded received pictures go when the directive has video.</summary>
    public IVideoFrameSink? VideoSink { get => _videoSink; set => _videoSink = value; }

    /// <summary>Completes when the media session is open and the streams run; faults if the call ends first.</summary>
    public Task MediaConnected => _mediaConnected.Task;

    /// <summary>A DTMF digit arrived from the other side (raised on a media thread).</summary>
    public event EventHandler<DtmfReceivedEventArgs>? DtmfReceived;

    /// <summary>A received frame was dropped because no SFrame key is known for its KID (raised per frame).</summary>
    public event EventHandler<SFrameFrameEventArgs>? E2eKeyMissing;

    /// <summary>A received frame was dropped because its SFrame tag did not verify (raised per frame).</summary>
    public event EventHandler<SFrameFrameEventArgs>? E2eAuthenticationFailed;

    /// <summary>
    /// Sends DTMF digits (0-9, *, #, A-D) as RFC 4733 telephone events, each <paramref name="duration"/>
    /// long (default 100 ms, at most <see cref="Media.Dtmf.DtmfSender.MaxDuration"/>; long ones go in RFC 4733
    /// segments); on an end-to-end encrypted call their payloads are SFrame-protected like the audio. False when
    /// media is not running, telephone events were not negotiated, or a digit or the duration is invalid.
    /// </summary>
    public bool SendDtmf(string digits, TimeSpan? duration = null)
        => Volatile.Read(ref _media)?.SendDtmf(digits, duration ?? DefaultDtmfDuration) ?? false;

    /// <summary>Current media statistics (empty before media runs; the last ones once the call has ended).</summary>
    public CallStatistics GetStatistics() => Volatile.Read(ref _media)?.GetStatistics() ?? _finalStatistics ?? CallStatistics.Empty;

    internal void RaiseDtmfReceived(char digit, TimeSpan duration) => Raise(DtmfReceived, new DtmfReceivedEventArgs(digit, duration));

    internal void RaiseE2eKeyMissing(object? sender, SFrameFrameEventArgs e) => Raise(E2eKeyMissing, e);

    internal void RaiseE2eAuthenticationFailed(object? sender, SFrameFrameEventArgs e) => Raise(E2eAuthenticationFailed, e);

    internal void DeliverVideoFrame(VideoFrame frame)
    {
        try
        {
            _videoSink?.WriteFrame(frame);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "call {Call}: video sink failed", Id);
        }
    }

    /// <summary>Opens the media session ahead of the answer (called once, when the call starts following its events).</summary>
    private void StartMediaSession()
    {
        lock (_mediaGate)
        {
            _mediaWork = _mediaWork.ContinueWith(_ => OpenMediaAheadAsync(), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Called under no lock after every status or directive change.</summary>
    private void OnMediaStateChanged(CallStatusChangedEventArgs change) => QueueApplyMedia(change.Status, change.Directive);

    private void QueueApplyMedia(CallStatus status, Protocol.Directive? directive)
    {
        lock (_mediaGate)
        {
            _mediaWork = _mediaWork.ContinueWith(_ => ApplyMediaAsync(status, directive), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>
    /// The callee is answering with the directive it already has (docs/protocol.md section 7): its user has
    /// answered, so media may leave now instead of a round trip later, when the server confirms.
    /// </summary>
    private void StartAnsweringMedia()
    {
        if (Directive is not { } directive || Status is not (CallStatus.Proceeding or CallStatus.Alerting)) return;
        _answering = true;
        // Applied as still ringing: the streams send (answering), but MediaConnected waits for the server's answer.
        QueueApplyMedia(Status, directive);
    }

    /// <summary>A ringing call's early session was lost: drop its media on the chain; the answer reopens it.</summary>
    private void DropRingingMedia(CallMedia media)
    {
        lock (_mediaGate)
        {
            _mediaWork = _mediaWork.ContinueWith(async _ =>
            {
                if (!ReferenceEquals(Volatile.Read(ref _media), media) || Status is not (CallStatus.Proceeding or CallStatus.Alerting) || _answering)
                    return;
                _logger.LogDebug("call {Call}: the media session opened ahead of the answer was lost; reopened on answer", Id);
                Volatile.Write(ref _media, null);
                try
                {
                    await media.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _logger.LogDebug(e, "call {Call}: closing the lost media session failed", Id);
                }
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>The answer failed: stop sending until the call really is answered.</summary>
    private void StopAnsweringMedia()
    {
        if (!_answering) return;
        _answering = false;
        QueueApplyMedia(Status, Directive);
    }

    /// <summary>Stops media when the call is disposed.</summary>
    private Task StopMediaAsync()
    {
        lock (_mediaGate)
        {
            _mediaStopped = true;
            _mediaWork = _mediaWork.ContinueWith(_ => CloseMediaAsync(), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            return _mediaWork;
        }
    }

    private async Task ApplyMediaAsync(CallStatus status, Protocol.Directive? directive)
    {
        try
        {
            if (status == CallStatus.Ended)
            {
                await CloseMediaAsync().ConfigureAwait(false);
                return;
            }
            bool stopped;
            lock (_mediaGate)
                stopped = _mediaStopped;
            bool live = status is CallStatus.Answered or CallStatus.Held;
            if (stopped || directive is null || !(live || status is CallStatus.Proceeding or CallStatus.Alerting))
                return;
            if (_media is null)
            {
                // Before the answer the session is opened ahead (OpenMediaAheadAsync), which applies the directive itself;
                // one that could not be opened early is retried once answered.
                if (!live)
                    return;
                await OpenSessionAsync(optimistic: true).ConfigureAwait(false);
            }
            // Ringing: streams ready to receive, sending only once answering or answered.
            if (await _media!.ApplyAsync(directive, live || _answering).ConfigureAwait(false) && live)
                _mediaConnected.TrySetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogError(e, "call {Call}: media could not be set up for directive {Revision}", Id, directive?.Revision);
        }
    }

    private async Task OpenMediaAheadAsync()
    {
        bool stopped;
        lock (_mediaGate)
            stopped = _mediaStopped;
        if (stopped || _media is not null || Status == CallStatus.Ended || _client.MediaTransport is null)
            return;
        try
        {
            await OpenSessionAsync(optimistic: true).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogDebug(e, "call {Call}: media session not opened ahead of the answer; retried once answered", Id);
            return;
        }
        // Streams from the directive the call document carries: ready for the first packet the moment the call is answered.
        await ApplyMediaAsync(Status, Directive).ConfigureAwait(false);
    }

    private async Task OpenSessionAsync(bool optimistic)
    {
        using var timeout = new CancellationTokenSource(_client.Options.RequestTimeout);
        var session = await OpenMediaSessionAsync(optimistic, timeout.Token).ConfigureAwait(false);
        Volatile.Write(ref _media, new CallMedia(this, session, _client.Options, _logger));
    }

    private async Task CloseMediaAsync()
    {
        _mediaConnected.TrySetException(new RtcException($"the call ended ({EndReason}) before media was connected"));
        _ = _mediaConnected.Task.Exception; // observed: nobody has to wait for media on a call that never had it
        var media = Volatile.Read(ref _media);
        if (media is null)
            return;
        _finalStatistics = media.GetStatistics();
        Volatile.Write(ref _media, null);
        try
        {
            await media.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "call {Call}: closing media failed", Id);
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "call {Call}: event handler failed", Id);
        }
    }
}
