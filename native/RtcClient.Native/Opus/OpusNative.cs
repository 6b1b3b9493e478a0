using System.Runtime.InteropServices;

namespace RtcClient.Native.Opus;

/// <summary>
/// libopus 1.3 entry points. <c>opus_encoder_ctl</c>/<c>opus_decoder_ctl</c> are variadic in C; the fixed
/// (handle, request, int) and (handle, request, int*) shapes are ABI-compatible on Linux x64 and
/// Windows x64 but not on macOS arm64 (variadic arguments go on the stack there).
/// </summary>
internal static unsafe partial class OpusNative
{
    /// <summary>Optimised for voice (high-pass, VOIP tuning).</summary>
    public const int ApplicationVoip = 2048;
    /// <summary>Optimised for general audio fidelity.</summary>
    public const int ApplicationAudio = 2049;
    /// <summary>Lowest delay mode.</summary>
    public const int ApplicationRestrictedLowDelay = 2051;

    public const int SetBitrateRequest = 4002;
    public const int SetComplexityRequest = 4010;
    public const int SetInbandFecRequest = 4012;
    public const int SetPacketLossPercRequest = 4014;
    public const int SetDtxRequest = 4016;
    public const int GetLookaheadRequest = 4027;
    public const int ResetStateRequest = 4028;
    public const int GetLastPacketDurationRequest = 4039;

    /// <summary>Largest frame a decoder may return: 120 ms at 48 kHz.</summary>
    public const int MaxFrameSamples = 5760;

    static OpusNative() => NativeLibraries.EnsureResolver();

    [LibraryImport("opus", EntryPoint = "opus_encoder_create")]
    public static partial nint EncoderCreate(int fs, int channels, int application, out int error);

    [LibraryImport("opus", EntryPoint = "opus_encoder_destroy")]
    public static partial void EncoderDestroy(nint st);

    [LibraryImport("opus", EntryPoint = "opus_encode")]
    public static partial int Encode(nint st, short* pcm, int frameSize, byte* data, int maxDataBytes);

    [LibraryImport("opus", EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(nint st, int request, int value);

    [LibraryImport("opus", EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(nint st, int request, int* value);

    [LibraryImport("opus", EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(nint st, int request);

    [LibraryImport("opus", EntryPoint = "opus_decoder_create")]
    public static partial nint DecoderCreate(int fs, int channels, out int error);

    [LibraryImport("opus", EntryPoint = "opus_decoder_destroy")]
    public static partial void DecoderDestroy(nint st);

    [LibraryImport("opus", EntryPoint = "opus_decode")]
    public static partial int Decode(nint st, byte* data, int len, short* pcm, int frameSize, int decodeFec);

    [LibraryImport("opus", EntryPoint = "opus_decoder_ctl")]
    public static partial int DecoderCtl(nint st, int request, int* value);

    [LibraryImport("opus", EntryPoint = "opus_packet_get_nb_samples")]
    public static partial int PacketGetNbSamples(byte* packet, int len, int fs);

    [LibraryImport("opus", EntryPoint = "opus_strerror")]
    private static partial nint StrError(int error);

    [LibraryImport("opus", EntryPoint = "opus_get_version_string")]
    private static partial nint GetVersionString();

    /// <summary>Human-readable text of a libopus error code.</summary>
    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"opus error {error}";

    /// <summary>The libopus version string, e.g. "libopus 1.3.1".</summary>
    public static string Version => Marshal.PtrToStringUTF8(GetVersionString()) ?? "unknown";
}
