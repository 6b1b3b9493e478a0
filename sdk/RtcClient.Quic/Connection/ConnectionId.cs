using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace RtcClient.Quic.Connection;

/// <summary>A connection ID of 0 to 20 bytes (RFC 9000 section 5.1), stored inline so it can key a dictionary without allocating.</summary>
internal readonly struct ConnectionId : IEquatable<ConnectionId>
{
    /// <summary>Longest connection ID QUIC v1 allows.</summary>
    public const int MaxLength = 20;

    private readonly Bytes20 _bytes;

    /// <summary>Bytes used.</summary>
    public int Length { get; }

    /// <summary>Copies <paramref name="value"/> (at most 20 bytes).</summary>
    public ConnectionId(ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxLength) throw new ArgumentOutOfRangeException(nameof(value), "connection IDs are at most 20 bytes");
        Length = value.Length;
        value.CopyTo(_bytes);
    }

    /// <summary>The ID's bytes.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Span => ((ReadOnlySpan<byte>)_bytes)[..Length];

    /// <summary>A random ID of <paramref name="length"/> bytes.</summary>
    public static ConnectionId Random(IRandomSource random, int length)
    {
        Span<byte> b = stackalloc byte[length];
        random.Fill(b);
        return new ConnectionId(b);
    }

    /// <inheritdoc />
    public bool Equals(ConnectionId other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ConnectionId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(Span);
        return h.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => Convert.ToHexString(Span);

    [InlineArray(MaxLength)]
    private struct Bytes20
    {
        private byte _element0;
    }
}
