namespace RtcClient.Server.Media;

/// <summary>
/// Sees every datagram the relay forwards (after the flow id rewrite). For diagnostics and tests, e.g.
/// to show the server only ever handles ciphertext when a call is end-to-end encrypted.
/// </summary>
public interface IMediaRelayObserver
{
    /// <summary>A datagram from <paramref name="fromLeg"/> about to be sent to the other leg.</summary>
    void OnForward(string fromLeg, ReadOnlySpan<byte> datagram);
}
