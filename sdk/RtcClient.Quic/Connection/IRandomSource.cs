using System.Security.Cryptography;

namespace RtcClient.Quic.Connection;

/// <summary>Randomness for connection IDs, reset tokens and key material; injected so simulations are reproducible.</summary>
internal interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);
}

/// <summary>The operating system's cryptographic generator.</summary>
internal sealed class SecureRandomSource : IRandomSource
{
    /// <summary>The shared instance.</summary>
    public static readonly SecureRandomSource Instance = new();

    /// <inheritdoc />
    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
