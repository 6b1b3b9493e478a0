using System.Numerics;

namespace RtcClient.SFrame;

/// <summary>
/// The KID layout for SFrame keyed by MLS (RFC 9605 section 5.2):
/// <c>KID = (context &lt;&lt; (S + E)) + (sender_index &lt;&lt; E) + (epoch % (1 &lt;&lt; E))</c>,
/// where E bits of epoch are sent and S is the number of bits needed for a member index.
/// </summary>
public static class MlsSFrameKeyId
{
    /// <summary>
    /// <c>S</c>: the smallest number of bits with <c>group_size &lt;= (1 &lt;&lt; S)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The group is empty.</exception>
    public static int IndexBitsForGroupSize(uint groupSize)
    {
        ArgumentOutOfRangeException.ThrowIfZero(groupSize);
        return groupSize == 1 ? 0 : 32 - BitOperations.LeadingZeroCount(groupSize - 1);
    }

    /// <summary>Builds a KID from its parts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A part does not fit its bits, or <c>S + E &gt; 64</c>.</exception>
    public static ulong Compose(ulong context, uint senderIndex, ulong epoch, int indexBits, int epochBits)
    {
        ValidateLayout(indexBits, epochBits);
        if (indexBits < 32 && senderIndex >= 1UL << indexBits)
        {
            throw new ArgumentOutOfRangeException(nameof(senderIndex), senderIndex, $"Does not fit in {indexBits} bits.");
        }

        int shift = indexBits + epochBits;
        if (shift == 64 ? context != 0 : context > ulong.MaxValue >> shift)
        {
            throw new ArgumentOutOfRangeException(nameof(context), context, $"Does not fit in {64 - shift} bits.");
        }

        ulong contextPart = shift == 64 ? 0 : context << shift;
        return contextPart | ((ulong)senderIndex << epochBits) | (epoch & EpochMask(epochBits));
    }

    /// <summary>Splits a KID into context, sender index and the low epoch bits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The layout is invalid.</exception>
    public static void Decompose(ulong keyId, int indexBits, int epochBits, out ulong context, out uint senderIndex, out ulong epochBitsValue)
    {
        ValidateLayout(indexBits, epochBits);
        epochBitsValue = keyId & EpochMask(epochBits);
        ulong rest = epochBits == 64 ? 0 : keyId >> epochBits;
        senderIndex = (uint)(rest & ((1UL << indexBits) - 1));
        int shift = indexBits + epochBits;
        context = shift == 64 ? 0 : keyId >> shift;
    }

    /// <summary>The KID bits that carry the epoch: <c>(1 &lt;&lt; E) - 1</c>.</summary>
    public static ulong EpochMask(int epochBits) => epochBits >= 64 ? ulong.MaxValue : (1UL << epochBits) - 1;

    private static void ValidateLayout(int indexBits, int epochBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(indexBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(indexBits, 32);
        ArgumentOutOfRangeException.ThrowIfNegative(epochBits);
        if (indexBits + epochBits > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(epochBits), epochBits, "S + E must not exceed 64 bits.");
        }
    }
}
