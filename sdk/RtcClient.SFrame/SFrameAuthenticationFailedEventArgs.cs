namespace RtcClient.SFrame;

/// <summary>A frame failed authentication (altered in transit, or a wrong key); it was dropped.</summary>
public sealed class SFrameAuthenticationFailedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public SFrameAuthenticationFailedEventArgs(ulong keyId, ulong counter)
    {
        KeyId = keyId;
        Counter = counter;
    }

    /// <summary>KID from the (unauthenticated) header.</summary>
    public ulong KeyId { get; }

    /// <summary>CTR from the (unauthenticated) header.</summary>
    public ulong Counter { get; }
}
