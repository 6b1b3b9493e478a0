namespace RtcClient.Media.Simulation;

/// <summary>Impairments of one direction of a simulated datagram link.</summary>
public sealed record LinkConditions
{
    /// <summary>Fixed one-way delay.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Extra delay per datagram, uniformly distributed in [0, Jitter]; large values reorder.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Probability a datagram is lost.</summary>
    public double LossRate { get; init; }

    /// <summary>Probability a datagram is delivered twice.</summary>
    public double DuplicationRate { get; init; }

    /// <summary>Probability a datagram is held back by <see cref="ReorderDelay"/> (so later ones overtake it).</summary>
    public double ReorderRate { get; init; }

    /// <summary>Extra delay of a reordered datagram.</summary>
    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Largest datagram the link carries (what the sink reports to packetizers).</summary>
    public int MaxDatagramSize { get; init; } = 1200;

    /// <summary>A perfect link with only the fixed delay.</summary>
    public static LinkConditions Perfect { get; } = new();
}
