using System.Runtime.InteropServices;

namespace RtcClient.Native.OpenH264;

/// <summary>Layout facts of OpenH264 2.3 structures on 64-bit targets (checked with offsetof).</summary>
internal static class OpenH264Layout
{
    /// <summary>sizeof(SEncParamExt).</summary>
    public const int EncParamExtSize = 920;
    public const int ExtUsageType = 0;
    public const int ExtPicWidth = 4;
    public const int ExtPicHeight = 8;
    public const int ExtTargetBitrate = 12;
    public const int ExtRcMode = 16;
    public const int ExtMaxFrameRate = 20;
    public const int ExtTemporalLayerNum = 24;
    public const int ExtSpatialLayerNum = 28;
    /// <summary>sSpatialLayers[0]: iVideoWidth, iVideoHeight, fFrameRate, iSpatialBitrate, iMaxSpatialBitrate, uiProfileIdc.</summary>
    public const int ExtLayer0 = 32;
    public const int ExtIntraPeriod = 836;
    public const int ExtNumRefFrame = 840;
    public const int ExtEnableFrameSkip = 860;
    public const int ExtMultipleThreadIdc = 892;

    /// <summary>sizeof(SFrameBSInfo).</summary>
    public const int FrameBsInfoSize = 5144;
    public const int BsLayerNum = 0;
    public const int BsLayers = 8;
    public const int BsFrameType = 5128;
    /// <summary>sizeof(SLayerBSInfo).</summary>
    public const int LayerSize = 40;
    public const int LayerNalCount = 16;
    public const int LayerNalLengths = 24;
    public const int LayerBsBuf = 32;

    public const int CameraVideoRealTime = 0;
    public const int RcBitrateMode = 1;
    public const int ProfileBaseline = 66;
    public const int VideoFormatI420 = 23;

    public const int FrameTypeInvalid = 0;
    public const int FrameTypeIdr = 1;
    public const int FrameTypeI = 2;
    public const int FrameTypeSkip = 4;

    public const int EncoderOptionBitrate = 5;
    public const int EncoderOptionTraceLevel = 25;
    public const int DecoderOptionTraceLevel = 9;
    /// <summary>WELS_LOG_QUIET.</summary>
    public const int TraceQuiet = 0;
    /// <summary>SPATIAL_LAYER_ALL for SBitrateInfo.</summary>
    public const int SpatialLayerAll = 4;
}

/// <summary>SSourcePicture (72 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SSourcePicture
{
    public int ColorFormat;
    public fixed int Stride[4];
    public byte* Data0;
    public byte* Data1;
    public byte* Data2;
    public byte* Data3;
    public int PicWidth;
    public int PicHeight;
    public long TimeStamp;
}

/// <summary>SBitrateInfo.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SBitrateInfo
{
    public int Layer;
    public int Bitrate;
}

/// <summary>SDecodingParam (32 bytes) with its SVideoProperty inlined.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SDecodingParam
{
    public byte* FileNameRestructed;
    public uint CpuLoad;
    public byte TargetDqLayer;
    public int ErrorConcealment;
    public byte ParseOnly;
    public uint VideoPropertySize;
    public int VideoBitstreamType;
}

/// <summary>SBufferInfo (72 bytes) with the system-memory buffer description inlined.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SBufferInfo
{
    public int BufferStatus;
    public ulong InBsTimeStamp;
    public ulong OutYuvTimeStamp;
    public int Width;
    public int Height;
    public int Format;
    public int StrideY;
    public int StrideUV;
    public byte* Dst0;
    public byte* Dst1;
    public byte* Dst2;
}
