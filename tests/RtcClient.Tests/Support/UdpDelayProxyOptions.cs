namespace RtcClient.Testing;

/// <summary>The simulated path of a <see cref="UdpDelayProxy"/>.</summary>
public sealed class UdpDelayProxyOptions
{
    /// <summary>Delay added in each direction (25 ms each way gives a 50 ms round trip).</summary>
    public TimeSpan OneWayDelay { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Probability in [0, 1] that a datagram is dropped (each direction independently).</summary>
    public double LossRate { get; init; }

    /// <summary>Seed of the loss decisions, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Most datagrams held at once; more are dropped (bounds memory).</summary>
    public int MaxQueuedDatagrams { get; init; } = 65_536;

    /// <summary>Most client addresses served (each has its own upstream socket).</summary>
    public int MaxClients { get; init; } = 4096;
}
