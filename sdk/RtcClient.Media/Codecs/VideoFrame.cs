namespace RtcClient.Media.Codecs;

/// <summary>A raw picture in I420 (planar Y, then U and V at half resolution), tightly packed.</summary>
public sealed class VideoFrame
{
    /// <summary>Creates a frame over an I420 buffer of <c>w*h + 2*((w+1)/2)*((h+1)/2)</c> bytes.</summary>
    public VideoFrame(int width, int height, byte[] i420, long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(i420);
        if (i420.Length < GetBufferSize(width, height))
            throw new ArgumentException("buffer smaller than an I420 frame of this size", nameof(i420));
        Width = width;
        Height = height;
        Data = i420;
        Timestamp = timestamp;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The I420 planes, Y then U then V.</summary>
    public byte[] Data { get; }

    /// <summary>Presentation time in 90 kHz units.</summary>
    public long Timestamp { get; }

    /// <summary>Bytes needed for an I420 frame of the given size.</summary>
    public static int GetBufferSize(int width, int height) => width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2);
}
