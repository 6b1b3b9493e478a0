namespace RtcClient.SFrame;

/// <summary>
/// Receive-side transform applied to each reassembled media frame before decoding. Any status
/// other than <see cref="SFrameStatus.Success"/> means the frame must be dropped (never played).
/// </summary>
public interface IMediaFrameUnprotector
{
    /// <summary>Whether frames are expected end-to-end encrypted.</summary>
    bool IsEndToEndEncrypted { get; }

    /// <summary>Largest output <see cref="Unprotect"/> can produce for an input of the given length.</summary>
    int GetMaxUnprotectedLength(int protectedLength);

    /// <summary>Recovers one frame from untrusted input; never throws for malformed input.</summary>
    /// <param name="protectedFrame">The frame as received.</param>
    /// <param name="metadata">The metadata the sender passed (e.g. from the media framing); may be empty.</param>
    /// <param name="destination">Output buffer; must not overlap the inputs.</param>
    /// <param name="bytesWritten">Frame length on success, otherwise 0.</param>
    SFrameStatus Unprotect(ReadOnlySpan<byte> protectedFrame, ReadOnlySpan<byte> metadata, Span<byte> destination, out int bytesWritten);
}
