namespace RtcClient.SFrame;

/// <summary>A frame arrived for a KID the key provider does not know (yet); it was dropped.</summary>
public sealed class SFrameKeyMissingEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public SFrameKeyMissingEventArgs(ulong keyId, ulong counter)
    {
        KeyId = keyId;
        Counter = counter;
    }

    /// <summary>KID from the (unauthenticated) header.</summary>
    public ulong KeyId { get; }

    /// <summary>CTR from the (unauthenticated) header.</summary>
    public ulong Counter { get; }
}
