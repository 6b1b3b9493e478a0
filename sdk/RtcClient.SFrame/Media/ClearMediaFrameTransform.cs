namespace RtcClient.SFrame;

/// <summary>
/// Pass-through for calls whose directive has no end-to-end encryption. Only
/// <see cref="MediaFrameProtection"/> creates it, and never for a call that requires E2E.
/// </summary>
internal sealed class ClearMediaFrameTransform : IMediaFrameProtector, IMediaFrameUnprotector
{
    public static ClearMediaFrameTransform Instance { get; } = new();

    public bool IsEndToEndEncrypted => false;

    public int GetMaxProtectedLength(int frameLength) => frameLength;

    public int GetMaxUnprotectedLength(int protectedLength) => protectedLength;

    public SFrameStatus Protect(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> metadata, Span<byte> destination, out int bytesWritten) =>
        Copy(frame, destination, out bytesWritten);

    public SFrameStatus Unprotect(ReadOnlySpan<byte> protectedFrame, ReadOnlySpan<byte> metadata, Span<byte> destination, out int bytesWritten) =>
        Copy(protectedFrame, destination, out bytesWritten);

    private static SFrameStatus Copy(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        if (!source.TryCopyTo(destination))
        {
            bytesWritten = 0;
            return SFrameStatus.DestinationTooSmall;
        }

        bytesWritten = source.Length;
        return SFrameStatus.Success;
    }
}
