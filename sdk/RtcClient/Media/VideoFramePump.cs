using Microsoft.Extensions.Logging;
using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Streams;

namespace RtcClient.Media;

/// <summary>
/// Feeds the video send stream at the directive's frame rate from the call's video source. Encoding
/// runs off the media clock's thread (one frame at a time; a frame is skipped while the previous one
/// is still encoding) so audio ticks stay on time.
/// </summary>
internal sealed class VideoFramePump(VideoSendStream stream, Func<IVideoFrameSource?> source, int frameRate, ILogger logger) : IMediaTickable
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1.0 / Math.Clamp(frameRate, 1, 60));
    private TimeSpan _next;
    private int _busy;
    private Task _inFlight = Task.CompletedTask;

    /// <summary>The encode in progress, if any (awaited before the encoder is disposed).</summary>
    public Task InFlight => Volatile.Read(ref _inFlight);

    public void OnTick(TimeSpan now)
    {
        if (now < _next)
            return;
        _next = _next == TimeSpan.Zero || now - _next > _interval ? now + _interval : _next + _interval;
        var current = source();
        if (current is null || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            return;
        long timestamp = now.Ticks * 90_000 / TimeSpan.TicksPerSecond;
        Volatile.Write(ref _inFlight, Task.Run(() => Send(current, timestamp)));
    }

    private void Send(IVideoFrameSource current, long timestamp)
    {
        try
        {
            if (current.ReadFrame() is { } frame)
                stream.SendFrame(new VideoFrame(frame.Width, frame.Height, frame.Data, timestamp));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "video frame not sent");
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }
}
