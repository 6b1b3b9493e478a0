namespace RtcClient.Quic.Recovery;

/// <summary>
/// A set of non-negative integers kept as sorted, disjoint, non-adjacent half-open intervals
/// [start, end). Used for packet numbers (ACK ranges) and stream offsets (received, acknowledged
/// and lost byte ranges). An optional range cap bounds memory by forgetting the lowest ranges.
/// Allocation-free once its backing array has grown to the working size.
/// </summary>
public sealed class RangeSet
{
    private long[] _starts;
    private long[] _ends;
    private int _count;

    /// <summary>Creates an empty set.</summary>
    /// <param name="maxRanges">When positive, adding beyond this many ranges drops the lowest ones.</param>
    /// <param name="initialCapacity">Backing array size to start with.</param>
    public RangeSet(int maxRanges = 0, int initialCapacity = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRanges);
        MaxRanges = maxRanges;
        int capacity = Math.Max(2, maxRanges > 0 ? Math.Min(initialCapacity, maxRanges + 1) : initialCapacity);
        _starts = new long[capacity];
        _ends = new long[capacity];
    }

    /// <summary>Range cap (0 = unbounded).</summary>
    public int MaxRanges { get; }

    /// <summary>Number of disjoint ranges.</summary>
    public int Count => _count;

    /// <summary>True when the set holds nothing.</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>Inclusive start of range <paramref name="index"/> (ascending order).</summary>
    public long StartAt(int index) => _starts[index];

    /// <summary>Exclusive end of range <paramref name="index"/> (ascending order).</summary>
    public long EndAt(int index) => _ends[index];

    /// <summary>Everything below this value was dropped because of <see cref="MaxRanges"/> (0 when nothing was).</summary>
    public long ForgottenBelow { get; private set; }

    /// <summary>Smallest member; only valid when not empty.</summary>
    public long Min => _starts[0];

    /// <summary>One past the largest member; only valid when not empty.</summary>
    public long Max => _ends[_count - 1];

    /// <summary>End of the range containing <paramref name="from"/>, or <paramref name="from"/> itself when it is not a member.</summary>
    public long ContiguousEnd(long from)
    {
        int i = IndexContaining(from);
        return i < 0 ? from : _ends[i];
    }

    /// <summary>Start of the first range beginning after <paramref name="value"/>, or <see cref="long.MaxValue"/>.</summary>
    public long NextStartAfter(long value)
    {
        int i = FirstEndingAfter(value);
        if (i < _count && _starts[i] <= value)
        {
            i++;
        }
        return i < _count ? _starts[i] : long.MaxValue;
    }

    /// <summary>Removes everything.</summary>
    public void Clear()
    {
        _count = 0;
        ForgottenBelow = 0;
    }

    /// <summary>True when <paramref name="value"/> is a member.</summary>
    public bool Contains(long value) => IndexContaining(value) >= 0;

    /// <summary>True when every value of [start, end) is a member (an empty interval is always contained).</summary>
    public bool ContainsAll(long start, long end)
    {
        if (end <= start)
        {
            return true;
        }
        int i = IndexContaining(start);
        return i >= 0 && _ends[i] >= end;
    }

    /// <summary>True when some value of [start, end) is a member.</summary>
    public bool Overlaps(long start, long end)
    {
        if (end <= start)
        {
            return false;
        }
        // First range whose end is past start.
        int i = FirstEndingAfter(start);
        return i < _count && _starts[i] < end;
    }

    /// <summary>Adds [start, end). Returns true when the set changed.</summary>
    public bool Add(long start, long end)
    {
        if (end <= start)
        {
            return false;
        }
        // Fast path: in-order growth of the last range (the common case for packets and stream data).
        int last = _count - 1;
        if (last >= 0 && start >= _starts[last] && start <= _ends[last])
        {
            if (end <= _ends[last])
            {
                return false;
            }
            _ends[last] = end;
            return true;
        }
        // Ranges i..j-1 touch or overlap [start, end) and merge into one.
        int i = FirstEndingAtOrAfter(start);
        int j = i;
        while (j < _count && _starts[j] <= end)
        {
            j++;
        }
        if (j - i == 1 && _starts[i] <= start && _ends[i] >= end)
        {
            return false;
        }
        if (i == j)
        {
            Insert(i, start, end);
        }
        else
        {
            long newStart = Math.Min(start, _starts[i]);
            long newEnd = Math.Max(end, _ends[j - 1]);
            _starts[i] = newStart;
            _ends[i] = newEnd;
            RemoveAt(i + 1, j - i - 1);
        }
        if (MaxRanges > 0 && _count > MaxRanges)
        {
            int drop = _count - MaxRanges;
            ForgottenBelow = Math.Max(ForgottenBelow, _ends[drop - 1]);
            RemoveAt(0, drop);
        }
        return true;
    }

    /// <summary>Removes [start, end) from the set.</summary>
    public void Remove(long start, long end)
    {
        if (end <= start)
        {
            return;
        }
        int i = FirstEndingAfter(start);
        while (i < _count && _starts[i] < end)
        {
            long s = _starts[i];
            long e = _ends[i];
            if (s < start && e > end)
            {
                // Split in two.
                _ends[i] = start;
                Insert(i + 1, end, e);
                return;
            }
            if (s < start)
            {
                _ends[i] = start;
                i++;
            }
            else if (e > end)
            {
                _starts[i] = end;
                return;
            }
            else
            {
                RemoveAt(i, 1);
            }
        }
    }

    /// <summary>Removes every member below <paramref name="value"/>.</summary>
    public void RemoveBelow(long value)
    {
        if (_count > 0)
        {
            Remove(Math.Min(_starts[0], value), value);
        }
    }

    private int IndexContaining(long value)
    {
        int i = FirstEndingAfter(value);
        return i < _count && _starts[i] <= value ? i : -1;
    }

    // Binary search: first range with end > value.
    private int FirstEndingAfter(long value)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ends[mid] > value)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }

    // Binary search: first range with end >= value (touching ranges merge).
    private int FirstEndingAtOrAfter(long value) => value == long.MinValue ? 0 : FirstEndingAfter(value - 1);

    private void Insert(int index, long start, long end)
    {
        if (_count == _starts.Length)
        {
            int size = _starts.Length * 2;
            Array.Resize(ref _starts, size);
            Array.Resize(ref _ends, size);
        }
        Array.Copy(_starts, index, _starts, index + 1, _count - index);
        Array.Copy(_ends, index, _ends, index + 1, _count - index);
        _starts[index] = start;
        _ends[index] = end;
        _count++;
    }

    private void RemoveAt(int index, int length)
    {
        if (length <= 0)
        {
            return;
        }
        Array.Copy(_starts, index + length, _starts, index, _count - index - length);
        Array.Copy(_ends, index + length, _ends, index, _count - index - length);
        _count -= length;
    }
}
