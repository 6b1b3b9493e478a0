using RtcClient.Media.Codecs;

namespace RtcClient.Media.Io;

/// <summary>
/// Raw I420 sink: appends each frame's planes, tightly packed, to a stream (the format ffmpeg reads
/// as <c>-f rawvideo -pix_fmt yuv420p</c>). Frames must all have the size of the first.
/// </summary>
public sealed class I420FileSink : IDisposable
{
    private readonly Stream stream;
    private readonly bool leaveOpen;
    private int width;
    private int height;

    /// <summary>Writes to <paramref name="stream"/>.</summary>
    public I420FileSink(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        this.stream = stream;
        this.leaveOpen = leaveOpen;
    }

    /// <summary>Creates a file at <paramref name="path"/>.</summary>
    public static I420FileSink Create(string path) => new(File.Create(path));

    /// <summary>Frames written so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Appends one frame.</summary>
    public void Write(VideoFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Frames == 0)
        {
            width = frame.Width;
            height = frame.Height;
        }
        else if (frame.Width != width || frame.Height != height)
        {
            throw new ArgumentException($"frame size changed from {width}x{height} to {frame.Width}x{frame.Height}", nameof(frame));
        }
        stream.Write(frame.Data, 0, VideoFrame.GetBufferSize(frame.Width, frame.Height));
        Frames++;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        stream.Flush();
        if (!leaveOpen)
            stream.Dispose();
    }
}
