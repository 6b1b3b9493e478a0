namespace RtcClient.SFrame;

/// <summary>
/// What a base key may be used for. RFC 9605 section 4.4.1: a key is usable for encryption or
/// for decryption, never both, so that no two senders share a (key, nonce) space.
/// </summary>
public enum SFrameKeyUsage
{
    /// <summary>The local sender encrypts with the key.</summary>
    Encrypt,

    /// <summary>The local receiver decrypts frames of a remote sender with the key.</summary>
    Decrypt,
}
