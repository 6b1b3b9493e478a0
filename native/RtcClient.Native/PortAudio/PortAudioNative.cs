using System.Runtime.InteropServices;

namespace RtcClient.Native.PortAudio;

/// <summary>
/// PortAudio v19 blocking-I/O entry points. C <c>unsigned long</c> is <see cref="CULong"/> (32-bit on
/// Windows, 64-bit on Linux/macOS).
/// </summary>
internal static unsafe partial class PortAudioNative
{
    public const int NoError = 0;
    public const int NoDevice = -1;
    /// <summary>paInt16 sample format.</summary>
    public const ulong SampleFormatInt16 = 0x00000008;
    /// <summary>paClipOff | paDitherOff.</summary>
    public const ulong StreamFlagsNoClipNoDither = 0x00000001 | 0x00000002;
    /// <summary>paInputOverflowed: data was lost on capture, the call still delivered samples.</summary>
    public const int InputOverflowed = -9981;
    /// <summary>paOutputUnderflowed: playback ran dry before this write; the write still happened.</summary>
    public const int OutputUnderflowed = -9980;

    static PortAudioNative() => NativeLibraries.EnsureResolver();

    [LibraryImport("portaudio", EntryPoint = "Pa_Initialize")]
    public static partial int Initialize();

    [LibraryImport("portaudio", EntryPoint = "Pa_Terminate")]
    public static partial int Terminate();

    [LibraryImport("portaudio", EntryPoint = "Pa_GetDeviceCount")]
    public static partial int GetDeviceCount();

    [LibraryImport("portaudio", EntryPoint = "Pa_GetDefaultInputDevice")]
    public static partial int GetDefaultInputDevice();

    [LibraryImport("portaudio", EntryPoint = "Pa_GetDefaultOutputDevice")]
    public static partial int GetDefaultOutputDevice();

    [LibraryImport("portaudio", EntryPoint = "Pa_GetDeviceInfo")]
    public static partial PaDeviceInfo* GetDeviceInfo(int device);

    [LibraryImport("portaudio", EntryPoint = "Pa_OpenStream")]
    public static partial int OpenStream(out nint stream, PaStreamParameters* input, PaStreamParameters* output,
        double sampleRate, CULong framesPerBuffer, CULong flags, nint callback, nint userData);

    [LibraryImport("portaudio", EntryPoint = "Pa_StartStream")]
    public static partial int StartStream(nint stream);

    [LibraryImport("portaudio", EntryPoint = "Pa_StopStream")]
    public static partial int StopStream(nint stream);

    [LibraryImport("portaudio", EntryPoint = "Pa_CloseStream")]
    public static partial int CloseStream(nint stream);

    [LibraryImport("portaudio", EntryPoint = "Pa_WriteStream")]
    public static partial int WriteStream(nint stream, void* buffer, CULong frames);

    [LibraryImport("portaudio", EntryPoint = "Pa_ReadStream")]
    public static partial int ReadStream(nint stream, void* buffer, CULong frames);

    [LibraryImport("portaudio", EntryPoint = "Pa_GetErrorText")]
    private static partial nint GetErrorTextNative(int error);

    /// <summary>Human-readable text of a PortAudio error code.</summary>
    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(GetErrorTextNative(error)) ?? $"PortAudio error {error}";
}

/// <summary>PaStreamParameters.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PaStreamParameters
{
    public int Device;
    public int ChannelCount;
    public CULong SampleFormat;
    public double SuggestedLatency;
    public nint HostApiSpecificStreamInfo;
}

/// <summary>PaDeviceInfo.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PaDeviceInfo
{
    public int StructVersion;
    public nint Name;
    public int HostApi;
    public int MaxInputChannels;
    public int MaxOutputChannels;
    public double DefaultLowInputLatency;
    public double DefaultLowOutputLatency;
    public double DefaultHighInputLatency;
    public double DefaultHighOutputLatency;
    public double DefaultSampleRate;
}
