using RtcClient.Native.OpenH264;
using L = RtcClient.Native.OpenH264.OpenH264Layout;

namespace RtcClient.Media.Codecs;

/// <summary>
/// H.264 decoder through OpenH264 (no-delay mode: each access unit's picture comes out of the same
/// call). Undecodable input returns null and is counted; the caller then asks for a key frame.
/// </summary>
public sealed unsafe class H264Decoder : IVideoDecoder
{
    private nint decoder;

    /// <summary>Creates a decoder.</summary>
    /// <exception cref="RtcClient.Native.NativeLibraryMissingException">OpenH264 is not installed.</exception>
    public H264Decoder()
    {
        if (OpenH264Native.CreateDecoder(out decoder).Value != 0 || decoder == 0)
            throw new InvalidOperationException("WelsCreateDecoder failed");
        int quiet = L.TraceQuiet;
        OpenH264Native.DecoderSetOption(decoder, L.DecoderOptionTraceLevel, &quiet);
        var param = new SDecodingParam
        {
            ErrorConcealment = 0, // no concealment: a broken picture is reported, not shown
            VideoPropertySize = 8,
            VideoBitstreamType = 0, // AVC
        };
        if (OpenH264Native.DecoderInitialize(decoder, &param) != 0)
            throw new InvalidOperationException("OpenH264 decoder Initialize failed");
    }

    /// <inheritdoc />
    public string Name => "H264";

    /// <summary>Access units that failed to decode.</summary>
    public long Errors { get; private set; }

    /// <inheritdoc />
    public VideoFrame? Decode(ReadOnlySpan<byte> accessUnit, long timestamp)
    {
        if (!DecodeNative(accessUnit, out var info))
            return null;
        var data = new byte[VideoFrame.GetBufferSize(info.Width, info.Height)];
        Copy(info, data);
        return new VideoFrame(info.Width, info.Height, data, timestamp);
    }

    /// <summary>
    /// Allocation-free variant of <see cref="Decode"/>: writes the picture as packed I420 into
    /// <paramref name="i420"/> and returns true with its size; false when there is no picture (or the
    /// buffer is too small, counted as an error).
    /// </summary>
    public bool DecodeInto(ReadOnlySpan<byte> accessUnit, Span<byte> i420, out int width, out int height)
    {
        width = height = 0;
        if (!DecodeNative(accessUnit, out var info))
            return false;
        if (i420.Length < VideoFrame.GetBufferSize(info.Width, info.Height))
        {
            Errors++;
            return false;
        }
        Copy(info, i420);
        (width, height) = (info.Width, info.Height);
        return true;
    }

    private bool DecodeNative(ReadOnlySpan<byte> accessUnit, out SBufferInfo info)
    {
        ObjectDisposedException.ThrowIf(decoder == 0, this);
        info = default;
        if (accessUnit.IsEmpty)
            return false;
        byte** planes = stackalloc byte*[3];
        int state;
        fixed (byte* src = accessUnit)
        fixed (SBufferInfo* pInfo = &info)
            state = OpenH264Native.DecoderDecodeFrameNoDelay(decoder, src, accessUnit.Length, planes, pInfo);
        if (state != 0)
        {
            Errors++;
            return false;
        }
        return info.BufferStatus == 1 && info.Width > 0 && info.Height > 0;
    }

    // Decoded planes have padded strides; output is tightly packed I420.
    private static void Copy(in SBufferInfo info, Span<byte> data)
    {
        int w = info.Width, h = info.Height, cw = (w + 1) / 2, ch = (h + 1) / 2;
        CopyPlane(info.Dst0, info.StrideY, w, h, data[..(w * h)]);
        CopyPlane(info.Dst1, info.StrideUV, cw, ch, data.Slice(w * h, cw * ch));
        CopyPlane(info.Dst2, info.StrideUV, cw, ch, data.Slice(w * h + cw * ch, cw * ch));
    }

    private static void CopyPlane(byte* src, int stride, int width, int height, Span<byte> dst)
    {
        for (int y = 0; y < height; y++)
            new ReadOnlySpan<byte>(src + (long)y * stride, width).CopyTo(dst.Slice(y * width, width));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the native decoder if <see cref="Dispose"/> was not called.</summary>
    ~H264Decoder() => Free();

    private void Free()
    {
        var d = Interlocked.Exchange(ref decoder, 0);
        if (d == 0)
            return;
        OpenH264Native.DecoderUninitialize(d);
        OpenH264Native.DestroyDecoder(d);
    }
}
