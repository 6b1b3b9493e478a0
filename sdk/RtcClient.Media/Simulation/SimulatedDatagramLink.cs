using RtcClient.Media.Streams;

namespace RtcClient.Media.Simulation;

/// <summary>
/// One direction of a simulated link: a datagram sink whose datagrams reach <see cref="Receiver"/>
/// after the conditions' delay, jitter, loss, duplication and reordering, on the network's clock.
/// </summary>
public sealed class SimulatedDatagramLink : IDatagramSink
{
    private readonly SimulatedNetwork _network;
    private long _sent, _lost, _duplicated, _reordered, _oversize;

    internal SimulatedDatagramLink(SimulatedNetwork network, IDatagramReceiver receiver, LinkConditions conditions, int index)
    {
        _network = network;
        Index = index;
        Receiver = receiver;
        Conditions = conditions;
    }

    /// <summary>Where datagrams are delivered.</summary>
    public IDatagramReceiver Receiver { get; }

    /// <summary>The impairments; replace to change them mid-call.</summary>
    public LinkConditions Conditions { get; set; }

    /// <summary>Set to false to drop everything (link down).</summary>
    public bool IsUp { get; set; } = true;

    /// <inheritdoc/>
    public int MaxDatagramSize => Conditions.MaxDatagramSize;

    /// <summary>What the link did so far.</summary>
    public SimulatedLinkStatistics Statistics => new(_sent, _lost, _duplicated, _reordered, _oversize, Delivered);

    internal long Delivered;

    /// <summary>This link's position in its network's link table.</summary>
    internal int Index { get; }

    /// <inheritdoc/>
    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        var c = Conditions;
        if (datagram.Length > c.MaxDatagramSize)
        {
            _oversize++;
            return false;
        }
        _sent++;
        if (!IsUp)
        {
            _lost++;
            return true;
        }
        var random = _network.Random;
        if (c.LossRate > 0 && random.NextDouble() < c.LossRate)
        {
            _lost++;
            return true; // a lossy network still accepts the datagram
        }
        int copies = c.DuplicationRate > 0 && random.NextDouble() < c.DuplicationRate ? 2 : 1;
        if (copies == 2)
            _duplicated++;
        for (int i = 0; i < copies; i++)
        {
            TimeSpan delay = c.Delay;
            if (c.Jitter > TimeSpan.Zero)
                delay += TimeSpan.FromTicks((long)(random.NextDouble() * c.Jitter.Ticks));
            if (c.ReorderRate > 0 && random.NextDouble() < c.ReorderRate)
            {
                delay += c.ReorderDelay;
                _reordered++;
            }
            _network.Schedule(this, datagram, delay);
        }
        return true;
    }
}
