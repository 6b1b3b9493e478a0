namespace RtcClient.Media.Streams;

/// <summary>Receives media datagrams (flow id + RTP/RTCP packet) from a transport or simulated link.</summary>
public interface IDatagramReceiver
{
    /// <summary>
    /// Handles one datagram that arrived at <paramref name="arrival"/> on the media clock. The span is
    /// only valid during the call. Malformed input is counted and dropped, never thrown.
    /// </summary>
    void OnDatagram(ReadOnlySpan<byte> datagram, TimeSpan arrival);
}
