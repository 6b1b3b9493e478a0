namespace RtcClient.Quic.Connection;

/// <summary>
/// A set of non-overlapping half-open ranges [start, end) kept sorted and merged; used for received
/// packet numbers, stream bytes received, acknowledged and waiting to be (re)sent.
/// </summary>
internal sealed class RangeSet
{
    private readonly List<(long Start, long End)> _ranges = [];

    /// <summary>Number of disjoint ranges.</summary>
    public int Count => _ranges.Count;

    /// <summary>The range at <paramref name="index"/>, lowest first.</summary>
    public (long Start, long End) this[int index] => _ranges[index];

    /// <summary>True when empty.</summary>
    public bool IsEmpty => _ranges.Count == 0;

    /// <summary>Removes everything.</summary>
    public void Clear() => _ranges.Clear();

    /// <summary>Adds [start, end), merging with neighbours.</summary>
    public void Add(long start, long end)
    {
        if (end <= start) return;
        int i = LowerBound(start);
        // Merge with the previous range if it touches.
        if (i > 0 && _ranges[i - 1].End >= start)
        {
            i--;
            start = Math.Min(start, _ranges[i].Start);
        }
        int j = i;
        while (j < _ranges.Count && _ranges[j].Start <= end)
        {
            end = Math.Max(end, _ranges[j].End);
            j++;
        }
        if (j > i) _ranges.RemoveRange(i, j - i);
        _ranges.Insert(i, (start, end));
    }

    /// <summary>Removes [start, end).</summary>
    public void Remove(long start, long end)
    {
        if (end <= start) return;
        for (int i = 0; i < _ranges.Count; i++)
        {
            var (s, e) = _ranges[i];
            if (e <= start) continue;
            if (s >= end) break;
            _ranges.RemoveAt(i);
            int insert = i;
            if (s < start) _ranges.Insert(insert++, (s, start));
            if (e > end) _ranges.Insert(insert++, (end, e));
            i = insert - 1;
        }
    }

    /// <summary>True when <paramref name="value"/> lies in a range.</summary>
    public bool Contains(long value)
    {
        int i = LowerBound(value + 1) - 1;
        return i >= 0 && _ranges[i].Start <= value && value < _ranges[i].End;
    }

    /// <summary>True when every value in [start, end) is in the set.</summary>
    public bool ContainsRange(long start, long end)
    {
        if (end <= start) return true;
        int i = LowerBound(start + 1) - 1;
        return i >= 0 && _ranges[i].Start <= start && end <= _ranges[i].End;
    }

    /// <summary>End of the range starting at or below <paramref name="value"/> and containing it, or <paramref name="value"/>.</summary>
    public long ContiguousEnd(long value)
    {
        int i = LowerBound(value + 1) - 1;
        return i >= 0 && _ranges[i].Start <= value && value < _ranges[i].End ? _ranges[i].End : value;
    }

    /// <summary>Start of the first range beginning above <paramref name="value"/>, or <see cref="long.MaxValue"/>.</summary>
    public long NextStartAfter(long value)
    {
        int i = LowerBound(value + 1);
        return i < _ranges.Count ? _ranges[i].Start : long.MaxValue;
    }

    /// <summary>Drops everything below <paramref name="value"/>.</summary>
    public void RemoveBelow(long value) => Remove(long.MinValue, value);

    /// <summary>Drops the lowest ranges until at most <paramref name="max"/> remain.</summary>
    public void TrimToCount(int max)
    {
        if (_ranges.Count > max) _ranges.RemoveRange(0, _ranges.Count - max);
    }

    /// <summary>Lowest value, or <paramref name="fallback"/> when empty.</summary>
    public long Min(long fallback) => _ranges.Count == 0 ? fallback : _ranges[0].Start;

    /// <summary>Highest value + 1, or <paramref name="fallback"/> when empty.</summary>
    public long Max(long fallback) => _ranges.Count == 0 ? fallback : _ranges[^1].End;

    // First index whose Start >= value.
    private int LowerBound(long value)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ranges[mid].Start < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
