namespace RtcClient.SFrame;

/// <summary>
/// The keying hook the application implements (RFC 9605 section 9.2): it maps KIDs to base keys,
/// chooses the KID the local sender encrypts with, and reports rotations (epoch changes,
/// participants joining or leaving) through <see cref="KeysChanged"/>. SFrame derives and caches
/// <c>sframe_key</c>/<c>sframe_salt</c> itself. Implementations are called from media threads:
/// they must be thread-safe and cheap, and must not throw.
/// </summary>
public interface ISFrameKeyProvider
{
    /// <summary>The KID the local sender encrypts with now.</summary>
    /// <returns><see langword="false"/> when no send key is available yet (frames are then dropped, never sent in clear).</returns>
    bool TryGetSendKeyId(out ulong keyId);

    /// <summary>Copies the base key for a KID and usage.</summary>
    /// <param name="keyId">KID from the local sender or from a received header (untrusted).</param>
    /// <param name="usage">Which side asks; a KID is valid for one usage only.</param>
    /// <param name="destination">At least <see cref="SFrameKeyDerivation.MaxBaseKeyLength"/> bytes.</param>
    /// <param name="bytesWritten">Length of the base key.</param>
    /// <returns><see langword="false"/> when no key for that KID and usage is known.</returns>
    bool TryGetBaseKey(ulong keyId, SFrameKeyUsage usage, Span<byte> destination, out int bytesWritten);

    /// <summary>Raised after keys were added, removed or replaced, or the send KID changed.</summary>
    event EventHandler<SFrameKeysChangedEventArgs>? KeysChanged;
}
