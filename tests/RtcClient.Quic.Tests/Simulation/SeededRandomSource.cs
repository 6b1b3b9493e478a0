using RtcClient.Quic.Connection;

namespace RtcClient.Quic.Tests.Simulation;

/// <summary>Deterministic randomness for connection IDs and tokens.</summary>
internal sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
}
