using System.Numerics;

namespace RtcClient.Quic.Packets;

/// <summary>
/// Packet number truncation on send and reconstruction on receive (RFC 9000 sections 17.1, A.2, A.3).
/// Packet numbers are 0 to 2^62-1; "none" for a largest acknowledged or received number is -1.
/// </summary>
public static class PacketNumber
{
    /// <summary>The largest packet number, 2^62 - 1.</summary>
    public const long MaxValue = (1L << 62) - 1;

    /// <summary>
    /// Bytes (1 to 4) needed to send <paramref name="packetNumber"/> so the peer decodes it unambiguously:
    /// twice the distance to the largest acknowledged packet (-1 when none was acknowledged) must fit.
    /// </summary>
    public static int GetEncodedLength(long packetNumber, long largestAcknowledged)
    {
        if (packetNumber < 0 || packetNumber > MaxValue) throw new ArgumentOutOfRangeException(nameof(packetNumber));
        long unacknowledged = largestAcknowledged < 0 ? packetNumber + 1 : packetNumber - largestAcknowledged;
        if (unacknowledged <= 0) throw new ArgumentOutOfRangeException(nameof(largestAcknowledged), "must be below the packet number");
        // min_bits = log2(n) + 1 with a real logarithm: ceil(log2 n) + 1 = floor(log2(n - 1)) + 2 for n > 1.
        int minBits = unacknowledged == 1 ? 1 : BitOperations.Log2((ulong)(unacknowledged - 1)) + 2;
        int bytes = (minBits + 7) / 8;
        return bytes > 4 ? 4 : bytes;
    }

    /// <summary>Writes the low <paramref name="length"/> bytes of <paramref name="packetNumber"/> in network byte order.</summary>
    public static void WriteTruncated(Span<byte> destination, long packetNumber, int length)
    {
        if (length is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(length));
        for (int i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)packetNumber;
            packetNumber >>= 8;
        }
    }

    /// <summary>Reads a truncated packet number of <paramref name="length"/> (1 to 4) bytes.</summary>
    public static long ReadTruncated(ReadOnlySpan<byte> source, int length)
    {
        if (length is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(length));
        long value = 0;
        for (int i = 0; i < length; i++) value = (value << 8) | source[i];
        return value;
    }

    /// <summary>
    /// Reconstructs the full packet number closest to one past <paramref name="largestReceived"/>
    /// (-1 when nothing was received in this space) from <paramref name="truncated"/>, which had
    /// <paramref name="length"/> bytes on the wire (RFC 9000 appendix A.3).
    /// </summary>
    public static long Decode(long largestReceived, long truncated, int length)
    {
        if (length is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(length));
        long expected = largestReceived + 1;
        long window = 1L << (length * 8);
        long halfWindow = window / 2;
        long mask = window - 1;
        long candidate = (expected & ~mask) | (truncated & mask);
        if (candidate <= expected - halfWindow && candidate < (1L << 62) - window) return candidate + window;
        if (candidate > expected + halfWindow && candidate >= window) return candidate - window;
        return candidate;
    }
}
