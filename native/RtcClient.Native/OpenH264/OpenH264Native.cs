using System.Runtime.InteropServices;

namespace RtcClient.Native.OpenH264;

/// <summary>
/// OpenH264 2.3 factory functions and vtable calls. <c>ISVCEncoder</c>/<c>ISVCDecoder</c> are C++
/// objects whose first field is the vtable; slot i is called as a cdecl function with the object first.
/// Decoder methods return C <c>long</c> (<see cref="CLong"/>); C++ <c>bool</c> is one byte.
/// </summary>
internal static unsafe partial class OpenH264Native
{
    // ISVCEncoder vtable slots.
    private const int EncInitializeExt = 1;
    private const int EncGetDefaultParams = 2;
    private const int EncUninitialize = 3;
    private const int EncEncodeFrame = 4;
    private const int EncForceIntraFrame = 6;
    private const int EncSetOption = 7;

    // ISVCDecoder vtable slots.
    private const int DecInitialize = 0;
    private const int DecUninitialize = 1;
    private const int DecDecodeFrameNoDelay = 3;
    private const int DecSetOption = 8;

    static OpenH264Native() => NativeLibraries.EnsureResolver();

    [LibraryImport("openh264", EntryPoint = "WelsCreateSVCEncoder")]
    public static partial int CreateEncoder(out nint encoder);

    [LibraryImport("openh264", EntryPoint = "WelsDestroySVCEncoder")]
    public static partial void DestroyEncoder(nint encoder);

    [LibraryImport("openh264", EntryPoint = "WelsCreateDecoder")]
    public static partial CLong CreateDecoder(out nint decoder);

    [LibraryImport("openh264", EntryPoint = "WelsDestroyDecoder")]
    public static partial void DestroyDecoder(nint decoder);

    private static void* Slot(nint obj, int index) => (*(void***)obj)[index];

    public static int EncoderGetDefaultParams(nint enc, byte* paramExt) =>
        ((delegate* unmanaged[Cdecl]<nint, byte*, int>)Slot(enc, EncGetDefaultParams))(enc, paramExt);

    public static int EncoderInitializeExt(nint enc, byte* paramExt) =>
        ((delegate* unmanaged[Cdecl]<nint, byte*, int>)Slot(enc, EncInitializeExt))(enc, paramExt);

    public static int EncoderUninitialize(nint enc) =>
        ((delegate* unmanaged[Cdecl]<nint, int>)Slot(enc, EncUninitialize))(enc);

    public static int EncoderEncodeFrame(nint enc, SSourcePicture* pic, byte* frameBsInfo) =>
        ((delegate* unmanaged[Cdecl]<nint, SSourcePicture*, byte*, int>)Slot(enc, EncEncodeFrame))(enc, pic, frameBsInfo);

    public static int EncoderForceIntraFrame(nint enc, bool idr) =>
        ((delegate* unmanaged[Cdecl]<nint, byte, int, int>)Slot(enc, EncForceIntraFrame))(enc, idr ? (byte)1 : (byte)0, -1);

    public static int EncoderSetOption(nint enc, int option, void* value) =>
        ((delegate* unmanaged[Cdecl]<nint, int, void*, int>)Slot(enc, EncSetOption))(enc, option, value);

    public static long DecoderInitialize(nint dec, SDecodingParam* param) =>
        ((delegate* unmanaged[Cdecl]<nint, SDecodingParam*, CLong>)Slot(dec, DecInitialize))(dec, param).Value;

    public static long DecoderUninitialize(nint dec) =>
        ((delegate* unmanaged[Cdecl]<nint, CLong>)Slot(dec, DecUninitialize))(dec).Value;

    public static int DecoderDecodeFrameNoDelay(nint dec, byte* src, int length, byte** dst, SBufferInfo* info) =>
        ((delegate* unmanaged[Cdecl]<nint, byte*, int, byte**, SBufferInfo*, int>)Slot(dec, DecDecodeFrameNoDelay))(dec, src, length, dst, info);

    public static long DecoderSetOption(nint dec, int option, void* value) =>
        ((delegate* unmanaged[Cdecl]<nint, int, void*, CLong>)Slot(dec, DecSetOption))(dec, option, value).Value;
}
