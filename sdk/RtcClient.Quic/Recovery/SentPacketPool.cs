namespace RtcClient.Quic.Recovery;

/// <summary>Recycles <see cref="SentPacket"/> records so steady-state sending allocates nothing.</summary>
internal sealed class SentPacketPool
{
    private readonly Stack<SentPacket> _free = new();
    private readonly int _maxRetained;

    public SentPacketPool(int maxRetained = 4096) => _maxRetained = maxRetained;

    public SentPacket Rent() => _free.TryPop(out var packet) ? packet : new SentPacket();

    public void Return(SentPacket packet)
    {
        packet.Reset();
        if (_free.Count < _maxRetained)
        {
            _free.Push(packet);
        }
    }
}
