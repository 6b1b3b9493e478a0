namespace RtcClient.SFrame;

/// <summary>
/// Identifies a received frame that was dropped (see <see cref="SFrameReceiver.KeyMissing"/> and
/// <see cref="SFrameReceiver.AuthenticationFailed"/>). The values come from the unauthenticated header.
/// </summary>
public sealed class SFrameFrameEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public SFrameFrameEventArgs(ulong keyId, ulong counter)
    {
        KeyId = keyId;
        Counter = counter;
    }

    /// <summary>KID from the header.</summary>
    public ulong KeyId { get; }

    /// <summary>CTR from the header.</summary>
    public ulong Counter { get; }
}
