using RtcClient.Media.Io;

namespace RtcClient.Server.Applications;

/// <summary>
/// An echo test service for <see cref="RiptApplications"/>: answers every call and plays back what it hears,
/// until the caller hangs up. Register it with <c>server.RegisterApplicationAsync("echo", EchoApplication.HandleAsync)</c>.
/// </summary>
public static class EchoApplication
{
    private static readonly AudioFormat Format = new(48000);

    /// <summary>Answers <paramref name="call"/> and echoes its audio until it ends.</summary>
    public static async Task HandleAsync(Call call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var loop = new AudioLoop(Format);
        call.AudioSink = loop;
        call.AudioSource = loop;
        await call.AnswerAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await call.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What is written comes back out, frame by frame (silence while nothing is queued; at most a second is kept).</summary>
    private sealed class AudioLoop(AudioFormat format) : IAudioFrameSink, IAudioFrameSource, IDisposable
    {
        private readonly PcmPullSink _queue = new(format, capacityFrames: 50);

        public AudioFormat Format => format;

        public void WriteFrame(ReadOnlySpan<short> frame) => _queue.WriteFrame(frame);

        public bool ReadFrame(Span<short> frame)
        {
            if (!_queue.TryRead(frame)) frame.Clear();
            return true;
        }

        public void Dispose() => _queue.Dispose();
    }
}
