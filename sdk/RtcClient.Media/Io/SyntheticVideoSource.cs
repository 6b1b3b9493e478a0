using RtcClient.Media.Codecs;

namespace RtcClient.Media.Io;

/// <summary>
/// Deterministic moving test pattern in I420: a diagonal luma gradient scrolling one pixel per frame,
/// a bright square bouncing across it, and chroma bands drifting the other way. Timestamps advance in
/// 90 kHz units at the frame rate.
/// </summary>
public sealed class SyntheticVideoSource
{
    private long frameIndex;

    /// <summary>Creates a source of <paramref name="width"/>×<paramref name="height"/> frames at <paramref name="frameRate"/> per second.</summary>
    public SyntheticVideoSource(int width, int height, int frameRate = 30)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameRate);
        Width = width;
        Height = height;
        FrameRate = frameRate;
    }

    /// <summary>Frame width.</summary>
    public int Width { get; }

    /// <summary>Frame height.</summary>
    public int Height { get; }

    /// <summary>Frames per second.</summary>
    public int FrameRate { get; }

    /// <summary>Returns the next frame in a new buffer.</summary>
    public VideoFrame NextFrame()
    {
        var data = new byte[VideoFrame.GetBufferSize(Width, Height)];
        long ts = Fill(data);
        return new VideoFrame(Width, Height, data, ts);
    }

    /// <summary>Draws the next frame into <paramref name="i420"/> (allocation-free); returns its 90 kHz timestamp.</summary>
    public long Fill(Span<byte> i420)
    {
        int w = Width, h = Height, cw = (w + 1) / 2, chh = (h + 1) / 2;
        if (i420.Length < VideoFrame.GetBufferSize(w, h))
            throw new ArgumentException("buffer too small", nameof(i420));
        int t = (int)(frameIndex % 100_000);
        var y = i420[..(w * h)];
        for (int row = 0; row < h; row++)
            for (int col = 0; col < w; col++)
                y[row * w + col] = (byte)(16 + ((col + row + t) * 219 / Math.Max(1, w + h) % 220));
        int size = Math.Max(8, Math.Min(w, h) / 6);
        int spanX = Math.Max(1, w - size), spanY = Math.Max(1, h - size);
        int bx = Bounce(t * 4, spanX), by = Bounce(t * 3, spanY);
        for (int row = by; row < Math.Min(h, by + size); row++)
            y.Slice(row * w + bx, Math.Min(size, w - bx)).Fill(235);
        var u = i420.Slice(w * h, cw * chh);
        var v = i420.Slice(w * h + cw * chh, cw * chh);
        for (int row = 0; row < chh; row++)
        {
            for (int col = 0; col < cw; col++)
            {
                u[row * cw + col] = (byte)(128 + 60 * Math.Sin((col - t) * 0.05));
                v[row * cw + col] = (byte)(128 + 60 * Math.Cos((row + t) * 0.07));
            }
        }
        long timestamp = frameIndex * 90_000 / FrameRate;
        frameIndex++;
        return timestamp;
    }

    private static int Bounce(int position, int span)
    {
        int p = position % (2 * span);
        return p < span ? p : 2 * span - p;
    }
}
