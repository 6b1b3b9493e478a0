using System.Buffers;
using System.Runtime.InteropServices;
using RtcClient.Native.OpenH264;
using L = RtcClient.Native.OpenH264.OpenH264Layout;

namespace RtcClient.Media.Codecs;

/// <summary>
/// H.264 Constrained Baseline encoder through OpenH264 (CAVLC, no B-frames, one slice, one thread,
/// bitrate rate control). Output is Annex-B; the first frame and every requested key frame are IDR
/// with SPS and PPS in front.
/// </summary>
public sealed unsafe class H264Encoder : IVideoEncoder
{
    private nint encoder;
    private readonly byte* frameInfo;
    private int bitrate;
    private bool keyFrameRequested;

    /// <summary>Creates an encoder for <paramref name="width"/>×<paramref name="height"/> pictures (even sizes).</summary>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <param name="bitrate">Target bitrate in bits per second.</param>
    /// <param name="frameRate">Nominal frame rate for rate control.</param>
    /// <param name="keyFrameInterval">Frames between periodic IDRs; 0 means only the first frame and requested ones.</param>
    /// <exception cref="RtcClient.Native.NativeLibraryMissingException">OpenH264 is not installed.</exception>
    public H264Encoder(int width, int height, int bitrate = 500_000, float frameRate = 30, int keyFrameInterval = 0)
    {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0)
            throw new ArgumentException("width and height must be positive and even");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bitrate);
        Width = width;
        Height = height;
        if (OpenH264Native.CreateEncoder(out encoder) != 0 || encoder == 0)
            throw new InvalidOperationException("WelsCreateSVCEncoder failed");
        int quiet = L.TraceQuiet;
        OpenH264Native.EncoderSetOption(encoder, L.EncoderOptionTraceLevel, &quiet);

        var param = (byte*)NativeMemory.AllocZeroed(L.EncParamExtSize);
        try
        {
            Check(OpenH264Native.EncoderGetDefaultParams(encoder, param), "GetDefaultParams");
            *(int*)(param + L.ExtUsageType) = L.CameraVideoRealTime;
            *(int*)(param + L.ExtPicWidth) = width;
            *(int*)(param + L.ExtPicHeight) = height;
            *(int*)(param + L.ExtTargetBitrate) = bitrate;
            *(int*)(param + L.ExtRcMode) = L.RcBitrateMode;
            *(float*)(param + L.ExtMaxFrameRate) = frameRate;
            *(int*)(param + L.ExtTemporalLayerNum) = 1;
            *(int*)(param + L.ExtSpatialLayerNum) = 1;
            byte* layer = param + L.ExtLayer0;
            *(int*)(layer + 0) = width;
            *(int*)(layer + 4) = height;
            *(float*)(layer + 8) = frameRate;
            *(int*)(layer + 12) = bitrate;
            *(int*)(layer + 20) = L.ProfileBaseline;
            *(uint*)(param + L.ExtIntraPeriod) = (uint)keyFrameInterval;
            *(int*)(param + L.ExtNumRefFrame) = 1;
            *(param + L.ExtEnableFrameSkip) = 0; // every input frame yields an access unit
            *(ushort*)(param + L.ExtMultipleThreadIdc) = 1;
            Check(OpenH264Native.EncoderInitializeExt(encoder, param), "InitializeExt");
        }
        finally
        {
            NativeMemory.Free(param);
        }
        int format = L.VideoFormatI420;
        OpenH264Native.EncoderSetOption(encoder, 0, &format);
        frameInfo = (byte*)NativeMemory.AllocZeroed(L.FrameBsInfoSize);
        this.bitrate = bitrate;
    }

    /// <inheritdoc />
    public string Name => "H264";

    /// <summary>Picture width the encoder was created for.</summary>
    public int Width { get; }

    /// <summary>Picture height the encoder was created for.</summary>
    public int Height { get; }

    /// <inheritdoc />
    public int Bitrate
    {
        get => bitrate;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            ObjectDisposedException.ThrowIf(encoder == 0, this);
            var info = new SBitrateInfo { Layer = L.SpatialLayerAll, Bitrate = value };
            Check(OpenH264Native.EncoderSetOption(encoder, L.EncoderOptionBitrate, &info), "SetOption(BITRATE)");
            bitrate = value;
        }
    }

    /// <inheritdoc />
    public void RequestKeyFrame() => keyFrameRequested = true;

    /// <inheritdoc />
    public bool Encode(VideoFrame frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(encoder == 0, this);
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"frame is {frame.Width}x{frame.Height}, encoder is {Width}x{Height}", nameof(frame));
        if (keyFrameRequested)
        {
            OpenH264Native.EncoderForceIntraFrame(encoder, idr: true);
            keyFrameRequested = false;
        }
        int chromaWidth = Width / 2;
        int lumaSize = Width * Height;
        int chromaSize = chromaWidth * (Height / 2);
        fixed (byte* data = frame.Data)
        {
            var picture = new SSourcePicture
            {
                ColorFormat = L.VideoFormatI420,
                PicWidth = Width,
                PicHeight = Height,
                TimeStamp = frame.Timestamp / 90, // milliseconds
                Data0 = data,
                Data1 = data + lumaSize,
                Data2 = data + lumaSize + chromaSize,
            };
            picture.Stride[0] = Width;
            picture.Stride[1] = chromaWidth;
            picture.Stride[2] = chromaWidth;
            Check(OpenH264Native.EncoderEncodeFrame(encoder, &picture, frameInfo), "EncodeFrame");
        }
        int frameType = *(int*)(frameInfo + L.BsFrameType);
        if (frameType is L.FrameTypeSkip or L.FrameTypeInvalid)
            return false;
        int layers = *(int*)(frameInfo + L.BsLayerNum);
        for (int l = 0; l < layers; l++)
        {
            byte* layer = frameInfo + L.BsLayers + l * L.LayerSize;
            int nals = *(int*)(layer + L.LayerNalCount);
            int* lengths = *(int**)(layer + L.LayerNalLengths);
            byte* bits = *(byte**)(layer + L.LayerBsBuf);
            long size = 0;
            for (int n = 0; n < nals; n++)
                size += lengths[n];
            // NAL units of a layer are contiguous in pBsBuf, each with its start code.
            var span = output.GetSpan((int)size);
            new ReadOnlySpan<byte>(bits, (int)size).CopyTo(span);
            output.Advance((int)size);
        }
        return frameType == L.FrameTypeIdr;
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
            throw new InvalidOperationException($"OpenH264 {what} failed ({result})");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the native encoder if <see cref="Dispose"/> was not called.</summary>
    ~H264Encoder() => Free();

    private void Free()
    {
        var e = Interlocked.Exchange(ref encoder, 0);
        if (e == 0)
            return;
        OpenH264Native.EncoderUninitialize(e);
        OpenH264Native.DestroyEncoder(e);
        NativeMemory.Free(frameInfo);
    }
}
