namespace RtcClient.SFrame;

/// <summary>
/// Send-side transform applied to each encoded media frame before packetization. The call layer
/// obtains one from <see cref="MediaFrameProtection"/>, so whether frames are end-to-end encrypted
/// follows the call's directive and policy, never a per-frame decision.
/// </summary>
public interface IMediaFrameProtector
{
    /// <summary>Whether frames leave end-to-end encrypted.</summary>
    bool IsEndToEndEncrypted { get; }

    /// <summary>Largest output <see cref="Protect"/> can produce for a frame of the given length.</summary>
    int GetMaxProtectedLength(int frameLength);

    /// <summary>Transforms one frame into <paramref name="destination"/>; on any failure nothing is to be sent.</summary>
    /// <param name="frame">The encoded frame.</param>
    /// <param name="metadata">Metadata the receiver will pass too (authenticated, not encrypted); may be empty.</param>
    /// <param name="destination">Output buffer; must not overlap the inputs.</param>
    /// <param name="bytesWritten">Output length on success, otherwise 0.</param>
    SFrameStatus Protect(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> metadata, Span<byte> destination, out int bytesWritten);
}
