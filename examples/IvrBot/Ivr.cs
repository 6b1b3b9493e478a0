using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using RtcClient;
using RtcClient.Media.Io;
using RtcExamples;

namespace IvrBot;

/// <summary>
/// An IVR: answers every incoming call, plays a prompt, collects DTMF digits until '#' (or a timeout),
/// records the caller, says goodbye and hangs up. Calls run concurrently as tasks; their audio is
/// paced by the SDK's one shared media clock, so there is no thread per call.
/// </summary>
public sealed class Ivr
{
    private readonly CallClient _client;
    private readonly IvrOptions _options;
    private readonly short[] _prompt;
    private readonly short[] _goodbye;
    private readonly ConcurrentDictionary<string, Task> _active = new(StringComparer.Ordinal);

    /// <summary>Creates the IVR on a connected client.</summary>
    public Ivr(CallClient client, IvrOptions options)
    {
        _client = client;
        _options = options;
        _prompt = options.Prompt ?? IvrPrompts.Welcome(options.Format);
        _goodbye = IvrPrompts.Goodbye(options.Format);
        Directory.CreateDirectory(options.RecordingDirectory);
    }

    /// <summary>Raised when a call is over (on a thread-pool thread).</summary>
    public event EventHandler<IvrCallResult>? CallCompleted;

    /// <summary>Calls in progress.</summary>
    public int ActiveCalls => _active.Count;

    /// <summary>Answers calls until cancelled or the client's event stream ends; then waits for the calls in progress.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var call in _client.IncomingCallsAsync(cancellationToken).ConfigureAwait(false))
            {
                _active[call.Id] = Task.Run(async () =>
                {
                    try
                    {
                        var result = await HandleAsync(call, cancellationToken).ConfigureAwait(false);
                        CallCompleted?.Invoke(this, result);
                    }
                    finally
                    {
                        _active.TryRemove(call.Id, out _);
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_active.Values).ConfigureAwait(false);
    }

    /// <summary>Runs the dialogue on one call.</summary>
    public async Task<IvrCallResult> HandleAsync(Call call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var path = Path.Combine(_options.RecordingDirectory, $"{Sanitize(call.From)}-{call.Id}.wav");
        var digits = new StringBuilder();
        bool terminated = false;
        string outcome;
        var player = new ClipPlayer(_options.Format);
        var keys = Channel.CreateBounded<char>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnDigit(object? sender, RtcClient.Media.DtmfReceivedEventArgs e) => keys.Writer.TryWrite(e.Digit);
        await using (call.ConfigureAwait(false))
        using (var recorder = new WavFileSink(path, _options.Format))
        {
            call.AudioSource = player;
            call.AudioSink = recorder;
            call.DtmfReceived += OnDigit;
            try
            {
                using (var setup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    setup.CancelAfter(_options.SetupTimeout);
                    await call.AnswerAsync(cancellationToken: setup.Token).ConfigureAwait(false);
                    await call.MediaConnected.WaitAsync(setup.Token).ConfigureAwait(false);
                }
                _ = player.PlayAsync(_prompt);
                outcome = "timeout";
                while (digits.Length < _options.MaxDigits)
                {
                    var key = await NextDigitAsync(keys.Reader, call, cancellationToken).ConfigureAwait(false);
                    if (key is null)
                    {
                        outcome = call.Status == CallStatus.Ended ? "caller-hangup" : "timeout";
                        break;
                    }
                    player.Stop(); // barge-in: the caller is typing, stop the prompt
                    if (key == '#')
                    {
                        terminated = true;
                        outcome = "complete";
                        break;
                    }
                    digits.Append(key.Value);
                }
                if (call.Status != CallStatus.Ended)
                {
                    var goodbye = player.PlayAsync(_goodbye);
                    var length = TimeSpan.FromSeconds((double)_goodbye.Length / _options.Format.Channels / _options.Format.SampleRate);
                    await Task.WhenAny(goodbye, call.Completion).WaitAsync(length + TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                    await call.HangupAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is RtcException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                outcome = $"failed: {e.Message}";
            }
            finally
            {
                call.DtmfReceived -= OnDigit;
            }
        }
        return new IvrCallResult(call.Id, call.From, digits.ToString(), terminated, path, outcome);
    }

    /// <summary>The next digit, or null on the digit timeout or when the call ends.</summary>
    private async Task<char?> NextDigitAsync(ChannelReader<char> keys, Call call, CancellationToken cancellationToken)
    {
        if (keys.TryRead(out var ready)) return ready;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var read = keys.WaitToReadAsync(wait.Token).AsTask();
        var first = await Task.WhenAny(read, call.Completion, Task.Delay(_options.DigitTimeout, wait.Token)).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == read && keys.TryRead(out var key) ? key : null;
    }

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray();
        return chars.Length == 0 ? "caller" : new string(chars);
    }
}
