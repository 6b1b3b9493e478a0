using RtcClient.Quic.Connection;

namespace RtcClient.Quic.Tests.Simulation;

/// <summary>One side of a simulated connection: the core plus a record of its events.</summary>
internal sealed class SimulatedPeer : IConnectionEvents
{
    public QuicConnectionCore? Core { get; set; }
    public string Name { get; }
    public SimulatedPeer(string name) => Name = name;

    public bool HandshakeCompleted { get; private set; }
    public List<long> OpenedStreams { get; } = [];
    public List<byte[]> Datagrams { get; } = [];
    public ConnectionCloseInfo? Closing { get; private set; }
    public long? ClosingTime { get; private set; }
    public long? TerminatedTime { get; private set; }
    public Func<long> Clock { get; set; } = () => 0;
    public Action<long>? StreamReadable { get; set; }
    public Action<long>? StreamWritable { get; set; }
    public int DatagramsSentAfterTermination { get; set; }

    public void OnHandshakeCompleted() => HandshakeCompleted = true;
    public void OnStreamOpened(long streamId) => OpenedStreams.Add(streamId);
    public void OnStreamReadable(long streamId) => StreamReadable?.Invoke(streamId);
    public void OnStreamWritable(long streamId) => StreamWritable?.Invoke(streamId);
    public void OnStreamsAvailable() { }
    public void OnDatagramReceived(ReadOnlySpan<byte> payload) => Datagrams.Add(payload.ToArray());
    public void OnConnectionIdIssued(ConnectionId connectionId, ReadOnlySpan<byte> statelessResetToken) { }
    public void OnConnectionIdRetired(ConnectionId connectionId) { }
    public void OnPeerResetTokenChanged(byte[]? previous, byte[]? current) => PeerResetToken = current;
    public byte[]? PeerResetToken { get; private set; }

    public void OnClosing(ConnectionCloseInfo info)
    {
        Closing = info;
        ClosingTime = Clock();
    }

    public void OnTerminated() => TerminatedTime = Clock();
}
