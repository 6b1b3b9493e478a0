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
        ObjectDisposedException.ThrowIf(decoder == 0, this);
        if (accessUnit.IsEmpty)
            return null;
        var info = default(SBufferInfo);
        byte** planes = stackalloc byte*[3];
        int state;
        fixed (byte* src = accessUnit)
            state = OpenH264Native.DecoderDecodeFrameNoDelay(decoder, src, accessUnit.Length, planes, &info);
        if (state != 0)
        {
            Errors++;
            return null;
        }
        if (info.BufferStatus != 1 || info.Width <= 0 || info.Height <= 0)
            return null;
        return Copy(info, timestamp);
    }

    // Decoded planes have padded strides; VideoFrame is tightly packed I420.
    private static VideoFrame Copy(in SBufferInfo info, long timestamp)
    {
        int w = info.Width, h = info.Height, cw = (w + 1) / 2, ch = (h + 1) / 2;
        var data = new byte[VideoFrame.GetBufferSize(w, h)];
        CopyPlane(info.Dst0, info.StrideY, w, h, data.AsSpan(0, w * h));
        CopyPlane(info.Dst1, info.StrideUV, cw, ch, data.AsSpan(w * h, cw * ch));
        CopyPlane(info.Dst2, info.StrideUV, cw, ch, data.AsSpan(w * h + cw * ch, cw * ch));
        return new VideoFrame(w, h, data, timestamp);
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
