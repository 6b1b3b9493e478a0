namespace RtcClient.Quic.Tests.Simulation;

/// <summary>How the simulated link treats datagrams in one direction.</summary>
internal sealed record LinkConditions
{
    /// <summary>One-way delay in microseconds.</summary>
    public long Delay { get; init; } = 10_000;
    /// <summary>Probability a datagram is dropped.</summary>
    public double LossRate { get; init; }
    /// <summary>Probability a datagram gets extra delay (and so overtakes or is overtaken).</summary>
    public double ReorderRate { get; init; }
    /// <summary>Extra delay for reordered datagrams, in microseconds.</summary>
    public long ReorderDelay { get; init; } = 15_000;
}
