namespace RtcClient.Http3.Qpack;

/// <summary>
/// The QPACK dynamic table (RFC 9204 section 3.2): entries addressed by absolute index (0 for the first
/// insertion ever), newest last, evicted oldest first when an insertion or a capacity change needs room.
/// </summary>
internal sealed class QpackDynamicTable
{
    private HeaderField[] _ring = new HeaderField[16];
    private int _head;
    private int _count;

    /// <summary>Creates a table whose capacity may be raised up to <paramref name="maxCapacity"/>.</summary>
    public QpackDynamicTable(long maxCapacity) => MaxCapacity = maxCapacity;

    /// <summary>The SETTINGS_QPACK_MAX_TABLE_CAPACITY bound.</summary>
    public long MaxCapacity { get; }

    /// <summary>Current capacity (Set Dynamic Table Capacity).</summary>
    public long Capacity { get; private set; }

    /// <summary>Sum of entry sizes.</summary>
    public long Size { get; private set; }

    /// <summary>Total insertions ever (the next absolute index).</summary>
    public long InsertCount { get; private set; }

    /// <summary>Entries now in the table.</summary>
    public int Count => _count;

    /// <summary>Absolute index of the oldest entry still present.</summary>
    public long DroppedCount => InsertCount - _count;

    /// <summary>MaxEntries (RFC 9204 section 3.2.2), used in the Required Insert Count encoding.</summary>
    public long MaxEntries => MaxCapacity / 32;

    /// <summary>True when the absolute index names a present entry.</summary>
    public bool Contains(long absoluteIndex) => absoluteIndex >= DroppedCount && absoluteIndex < InsertCount;

    /// <summary>The entry at an absolute index (must be present).</summary>
    public HeaderField Get(long absoluteIndex) => _ring[(_head + (int)(absoluteIndex - DroppedCount)) % _ring.Length];

    /// <summary>Whether capacity can become <paramref name="capacity"/> evicting only entries below <paramref name="firstPinned"/>.</summary>
    public bool CanResize(long capacity, long firstPinned) => capacity <= MaxCapacity && FreeableBytes(firstPinned, Size - capacity);

    /// <summary>Whether an entry of <paramref name="entrySize"/> fits evicting only entries below <paramref name="firstPinned"/>.</summary>
    public bool CanInsert(int entrySize, long firstPinned) => entrySize <= Capacity && FreeableBytes(firstPinned, Size + entrySize - Capacity);

    /// <summary>Sets the capacity, evicting as needed; false when above the maximum.</summary>
    public bool SetCapacity(long capacity)
    {
        if (capacity > MaxCapacity || capacity < 0)
            return false;
        Capacity = capacity;
        EvictTo(capacity);
        return true;
    }

    /// <summary>Inserts, evicting the oldest entries; false when the entry is larger than the capacity.</summary>
    public bool Insert(HeaderField field)
    {
        int size = field.Size;
        if (size > Capacity)
            return false;
        EvictTo(Capacity - size);
        if (_count == _ring.Length)
        {
            var bigger = new HeaderField[_ring.Length * 2];
            for (int i = 0; i < _count; i++)
                bigger[i] = _ring[(_head + i) % _ring.Length];
            _ring = bigger;
            _head = 0;
        }

        _ring[(_head + _count) % _ring.Length] = field;
        _count++;
        Size += size;
        InsertCount++;
        return true;
    }

    /// <summary>Newest absolute index with this name and value, or -1.</summary>
    public long FindExact(in HeaderField field)
    {
        for (long abs = InsertCount - 1; abs >= DroppedCount; abs--)
        {
            if (Get(abs) == field)
                return abs;
        }

        return -1;
    }

    /// <summary>Newest absolute index with this name, or -1.</summary>
    public long FindName(string name)
    {
        for (long abs = InsertCount - 1; abs >= DroppedCount; abs--)
        {
            if (string.Equals(Get(abs).Name, name, StringComparison.Ordinal))
                return abs;
        }

        return -1;
    }

    private bool FreeableBytes(long firstPinned, long needed)
    {
        if (needed <= 0)
            return true;
        long freed = 0;
        for (long abs = DroppedCount; abs < InsertCount && abs < firstPinned; abs++)
        {
            freed += Get(abs).Size;
            if (freed >= needed)
                return true;
        }

        return false;
    }

    private void EvictTo(long target)
    {
        while (Size > target && _count > 0)
        {
            Size -= _ring[_head].Size;
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
        }
    }
}
