namespace RtcClient.SFrame;

/// <summary>
/// Reports a change of the keys behind a set of KIDs: every KID <c>k</c> with
/// <c>(k &amp; KeyIdMask) == (KeyId &amp; KeyIdMask)</c>. A single KID uses a full mask; an MLS
/// epoch uses the epoch bits only.
/// </summary>
public sealed class SFrameKeysChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public SFrameKeysChangedEventArgs(SFrameKeyChange change, ulong keyId, ulong keyIdMask = ulong.MaxValue)
    {
        Change = change;
        KeyId = keyId;
        KeyIdMask = keyIdMask;
    }

    /// <summary>What changed.</summary>
    public SFrameKeyChange Change { get; }

    /// <summary>The KID (or KID pattern, under <see cref="KeyIdMask"/>) concerned.</summary>
    public ulong KeyId { get; }

    /// <summary>Bits of a KID that must equal those of <see cref="KeyId"/> for the KID to be concerned.</summary>
    public ulong KeyIdMask { get; }

    /// <summary>Whether a KID is concerned by this change.</summary>
    public bool Matches(ulong keyId) => ((keyId ^ KeyId) & KeyIdMask) == 0;
}
