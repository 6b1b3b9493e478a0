namespace RtcClient.SFrame;

/// <summary>
/// Counter-based anti-replay for one KID (RFC 9605 section 9.3, adapting RFC 3711 section 3.3.2):
/// a sliding bitmap of the last <see cref="Size"/> counters below the highest accepted one.
/// Counters are checked before decryption and recorded only after authentication, so forged
/// frames cannot move the window. Not thread-safe.
/// </summary>
public sealed class SFrameReplayWindow
{
    /// <summary>Smallest window.</summary>
    public const int MinSize = 64;

    /// <summary>Largest window (bounds per-KID memory to 1 KiB).</summary>
    public const int MaxSize = 8192;

    private readonly ulong[] _bits;
    private ulong _highest;
    private bool _empty = true;

    /// <summary>Creates an empty window.</summary>
    /// <param name="size">Counters remembered below the highest; a multiple of 64 in [<see cref="MinSize"/>, <see cref="MaxSize"/>].</param>
    public SFrameReplayWindow(int size)
    {
        if (size is < MinSize or > MaxSize || size % 64 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A multiple of 64 in [{MinSize}, {MaxSize}].");
        }

        Size = size;
        _bits = new ulong[size / 64];
    }

    /// <summary>Window size in counters.</summary>
    public int Size { get; }

    /// <summary>Highest counter accepted so far, if any.</summary>
    public ulong? Highest => _empty ? null : _highest;

    /// <summary>Whether a counter must be dropped: already accepted, or too old to tell.</summary>
    public bool IsReplay(ulong counter)
    {
        if (_empty || counter > _highest)
        {
            return false;
        }

        return _highest - counter >= (ulong)Size || IsSet(counter);
    }

    /// <summary>Records an authenticated counter. Call only after <see cref="IsReplay"/> returned false.</summary>
    public void Accept(ulong counter)
    {
        if (_empty || (counter > _highest && counter - _highest >= (ulong)Size))
        {
            Array.Clear(_bits);
            _highest = counter;
            _empty = false;
        }
        else if (counter > _highest)
        {
            // Forget the slots the window slides over (fewer than Size of them).
            ulong advance = counter - _highest;
            for (ulong step = 1; step <= advance; step++)
            {
                Clear(_highest + step);
            }

            _highest = counter;
        }

        Set(counter);
    }

    private bool IsSet(ulong counter)
    {
        int slot = (int)(counter % (ulong)Size);
        return (_bits[slot >> 6] & (1UL << (slot & 63))) != 0;
    }

    private void Set(ulong counter)
    {
        int slot = (int)(counter % (ulong)Size);
        _bits[slot >> 6] |= 1UL << (slot & 63);
    }

    private void Clear(ulong counter)
    {
        int slot = (int)(counter % (ulong)Size);
        _bits[slot >> 6] &= ~(1UL << (slot & 63));
    }
}
