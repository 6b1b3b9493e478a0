namespace RtcClient.Quic.Recovery;

/// <summary>An inclusive range of packet numbers acknowledged together (RFC 9000 section 19.3.1).</summary>
/// <param name="Smallest">Lowest packet number in the range.</param>
/// <param name="Largest">Highest packet number in the range.</param>
public readonly record struct AckRange(long Smallest, long Largest)
{
    /// <summary>Packets in the range.</summary>
    public long Count => Largest - Smallest + 1;

    /// <summary>True when <paramref name="packetNumber"/> lies in the range.</summary>
    public bool Contains(long packetNumber) => packetNumber >= Smallest && packetNumber <= Largest;
}
