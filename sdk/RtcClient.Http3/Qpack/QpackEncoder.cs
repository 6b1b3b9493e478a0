using System.Buffers;

namespace RtcClient.Http3.Qpack;

/// <summary>
/// The QPACK encoder (RFC 9204 sections 2.1 and 4.3/4.5): encodes field sections, keeps the encoder side of the
/// dynamic table, writes encoder instructions to <see cref="EncoderStream"/> and reads decoder instructions.
/// It never evicts an entry that is unacknowledged or referenced by an unacknowledged section, and blocks at
/// most the peer's SETTINGS_QPACK_BLOCKED_STREAMS streams.
/// </summary>
internal sealed class QpackEncoder
{
    private readonly QpackDynamicTable _table;
    private readonly long _maxBlockedStreams;
    private readonly Dictionary<long, Queue<Section>> _outstanding = [];
    // Emptied queues of outstanding sections, kept for the next stream: no allocation per acknowledged section.
    private readonly Stack<Queue<Section>> _spareQueues = new();
    private readonly ArrayBufferWriter<byte> _encoderStream = new();
    // Smallest absolute index referenced by the section being encoded: pinned like outstanding ones.
    private long _currentMinRef = long.MaxValue;

    private readonly record struct Section(long RequiredInsertCount, long MinReference);

    /// <summary>Creates an encoder for a peer decoder that advertised the two settings.</summary>
    public QpackEncoder(long peerMaxTableCapacity, long peerMaxBlockedStreams)
    {
        _table = new QpackDynamicTable(peerMaxTableCapacity);
        _maxBlockedStreams = peerMaxBlockedStreams;
    }

    /// <summary>Use Huffman for string literals when shorter.</summary>
    public bool UseHuffman { get; set; } = true;

    /// <summary>Insert fields into the dynamic table while encoding sections (when the capacity allows).</summary>
    public bool InsertWhileEncoding { get; set; } = true;

    /// <summary>The encoder's copy of the dynamic table.</summary>
    public QpackDynamicTable Table => _table;

    /// <summary>Known Received Count: insertions the decoder has acknowledged.</summary>
    public long KnownReceivedCount { get; private set; }

    /// <summary>Encoder instructions written and not yet taken for sending.</summary>
    public ReadOnlySpan<byte> EncoderStream => _encoderStream.WrittenSpan;

    /// <summary>Forgets the encoder instructions once they were sent.</summary>
    public void ClearEncoderStream() => _encoderStream.Clear();

    /// <summary>Streams with an unacknowledged section that references an unacknowledged insertion.</summary>
    public int BlockedStreamCount
    {
        get
        {
            int n = 0;
            foreach (var q in _outstanding.Values)
            {
                foreach (var s in q)
                {
                    if (s.RequiredInsertCount > KnownReceivedCount)
                    {
                        n++;
                        break;
                    }
                }
            }

            return n;
        }
    }

    /// <summary>Writes Set Dynamic Table Capacity and applies it; false when that would evict a pinned entry.</summary>
    public bool SetDynamicTableCapacity(long capacity)
    {
        if (!_table.CanResize(capacity, FirstPinned()))
            return false;
        _table.SetCapacity(capacity);
        Span<byte> buf = stackalloc byte[16];
        _encoderStream.Write(buf[..QpackInteger.Encode(capacity, 5, 0x20, buf)]);
        return true;
    }

    /// <summary>
    /// Inserts a field with the most compact instruction (Duplicate, Insert With Name Reference to the static or
    /// dynamic table, Insert With Literal Name); returns its absolute index, or -1 when it cannot be inserted now.
    /// </summary>
    public long Insert(HeaderField field)
    {
        if (!_table.CanInsert(field.Size, FirstPinned()))
            return -1;
        long exact = _table.FindExact(field);
        long dynName = _table.FindName(field.Name);
        int staticName = QpackStaticTable.FindName(field.Name);
        // An entry about to be evicted cannot be named by the instruction that evicts it.
        long firstSurviving = FirstSurvivingAfterInsert(field.Size);
        if (exact >= firstSurviving)
        {
            WriteInteger(_table.InsertCount - 1 - exact, 5, 0x00);
        }
        else if (staticName >= 0)
        {
            WriteInteger(staticName, 6, 0xC0);
            WriteString(field.Value, 7, 0x00);
        }
        else if (dynName >= firstSurviving)
        {
            WriteInteger(_table.InsertCount - 1 - dynName, 6, 0x80);
            WriteString(field.Value, 7, 0x00);
        }
        else
        {
            WriteString(field.Name, 5, 0x40);
            WriteString(field.Value, 7, 0x00);
        }

        _table.Insert(field);
        return _table.InsertCount - 1;
    }

    /// <summary>
    /// Encodes a field section for <paramref name="streamId"/> into <paramref name="output"/> (prefix and field
    /// lines). <paramref name="baseOverride"/> picks Base; by default it is the insert count.
    /// </summary>
    public void EncodeFieldSection(long streamId, ReadOnlySpan<HeaderField> fields, IBufferWriter<byte> output, long? baseOverride = null)
    {
        // Pass 1: choose representations. Kinds: 0 static indexed, 1 dynamic indexed, 2 literal static name,
        // 3 literal dynamic name, 4 literal name.
        var plan = ArrayPool<(int Kind, long Index)>.Shared.Rent(Math.Max(1, fields.Length));
        try
        {
            bool blocking = CanBlock(streamId);
            long required = 0;
            long minRef = long.MaxValue;
            for (int i = 0; i < fields.Length; i++)
            {
                HeaderField f = fields[i];
                int st = QpackStaticTable.FindExact(f);
                if (st >= 0)
                {
                    plan[i] = (0, st);
                    continue;
                }

                long dyn = _table.Capacity > 0 ? _table.FindExact(f) : -1;
                if (dyn < 0 && InsertWhileEncoding && _table.Capacity > 0 && WorthIndexing(f))
                    dyn = Insert(f);
                if (dyn >= 0 && (dyn < KnownReceivedCount || blocking))
                {
                    plan[i] = (1, dyn);
                    required = Math.Max(required, dyn + 1);
                    minRef = Math.Min(minRef, dyn);
                    _currentMinRef = minRef;
                    continue;
                }

                int sn = QpackStaticTable.FindName(f.Name);
                if (sn >= 0)
                {
                    plan[i] = (2, sn);
                    continue;
                }

                long dn = _table.Capacity > 0 ? _table.FindName(f.Name) : -1;
                if (dn >= 0 && (dn < KnownReceivedCount || blocking))
                {
                    plan[i] = (3, dn);
                    required = Math.Max(required, dn + 1);
                    minRef = Math.Min(minRef, dn);
                    _currentMinRef = minRef;
                    continue;
                }

                plan[i] = (4, 0);
            }

            long @base = baseOverride ?? _table.InsertCount;
            Span<byte> prefix = stackalloc byte[24];
            int p = 0;
            long encodedRic = required == 0 ? 0 : required % (2 * _table.MaxEntries) + 1;
            p += QpackInteger.Encode(encodedRic, 8, 0, prefix);
            if (required == 0)
                p += QpackInteger.Encode(0, 7, 0, prefix[p..]);
            else if (@base >= required)
                p += QpackInteger.Encode(@base - required, 7, 0, prefix[p..]);
            else
                p += QpackInteger.Encode(required - @base - 1, 7, 0x80, prefix[p..]);
            output.Write(prefix[..p]);

            for (int i = 0; i < fields.Length; i++)
                WriteLine(fields[i], plan[i].Kind, plan[i].Index, @base, output);

            if (required > 0)
            {
                if (!_outstanding.TryGetValue(streamId, out var q))
                    _outstanding[streamId] = q = _spareQueues.TryPop(out var spare) ? spare : new Queue<Section>();
                q.Enqueue(new Section(required, minRef));
            }
        }
        finally
        {
            _currentMinRef = long.MaxValue;
            ArrayPool<(int, long)>.Shared.Return(plan);
        }
    }

    /// <summary>Reads decoder instructions; returns the bytes consumed (a partial instruction is left).</summary>
    public int ProcessDecoderInstructions(ReadOnlySpan<byte> data)
    {
        int consumed = 0;
        while (consumed < data.Length)
        {
            ReadOnlySpan<byte> rest = data[consumed..];
            byte b = rest[0];
            int n;
            if ((b & 0x80) != 0)
            {
                n = QpackInteger.Decode(rest, 7, out long streamId);
                if (n == 0)
                    break;
                Check(n);
                if (!_outstanding.TryGetValue(streamId, out var q) || q.Count == 0)
                    throw new Http3ProtocolException(Http3ErrorCode.QpackDecoderStreamError, "Section Acknowledgment for a stream with no outstanding section");
                Section s = q.Dequeue();
                if (q.Count == 0)
                    Forget(streamId, q);
                KnownReceivedCount = Math.Max(KnownReceivedCount, s.RequiredInsertCount);
            }
            else if ((b & 0x40) != 0)
            {
                n = QpackInteger.Decode(rest, 6, out long streamId);
                if (n == 0)
                    break;
                Check(n);
                if (_outstanding.TryGetValue(streamId, out var cancelled))
                    Forget(streamId, cancelled);
            }
            else
            {
                n = QpackInteger.Decode(rest, 6, out long increment);
                if (n == 0)
                    break;
                Check(n);
                if (increment == 0 || KnownReceivedCount + increment > _table.InsertCount)
                    throw new Http3ProtocolException(Http3ErrorCode.QpackDecoderStreamError, "invalid Insert Count Increment");
                KnownReceivedCount += increment;
            }

            consumed += n;
        }

        return consumed;

        static void Check(int n)
        {
            if (n < 0)
                throw new Http3ProtocolException(Http3ErrorCode.QpackDecoderStreamError, "integer overflow in a decoder instruction");
        }
    }

    private void Forget(long streamId, Queue<Section> queue)
    {
        _outstanding.Remove(streamId);
        queue.Clear();
        if (_spareQueues.Count < 64)
            _spareQueues.Push(queue);
    }

    private bool CanBlock(long streamId)
    {
        if (_outstanding.TryGetValue(streamId, out var q))
        {
            foreach (var s in q)
            {
                if (s.RequiredInsertCount > KnownReceivedCount)
                    return true;
            }
        }

        return BlockedStreamCount < _maxBlockedStreams;
    }

    private static bool WorthIndexing(in HeaderField f) =>
        f.Size <= 512 && f.Name is not ("authorization" or "cookie" or "set-cookie" or ":path" or "content-length" or "date" or "etag");

    // Entries at or above this absolute index must stay: unacknowledged insertions and referenced entries.
    private long FirstPinned()
    {
        long pinned = Math.Min(KnownReceivedCount, _currentMinRef);
        foreach (var q in _outstanding.Values)
        {
            foreach (var s in q)
                pinned = Math.Min(pinned, s.MinReference);
        }

        return pinned;
    }

    private long FirstSurvivingAfterInsert(int entrySize)
    {
        long needed = _table.Size + entrySize - _table.Capacity;
        long abs = _table.DroppedCount;
        while (needed > 0 && abs < _table.InsertCount)
        {
            needed -= _table.Get(abs).Size;
            abs++;
        }

        return abs;
    }

    private void WriteLine(in HeaderField f, int kind, long index, long @base, IBufferWriter<byte> output)
    {
        int max = 16 + (f.Name.Length + f.Value.Length) * 2;
        Span<byte> dest = output.GetSpan(max);
        int n;
        switch (kind)
        {
            case 0:
                n = QpackInteger.Encode(index, 6, 0xC0, dest);
                break;
            case 1:
                n = index < @base
                    ? QpackInteger.Encode(@base - 1 - index, 6, 0x80, dest)
                    : QpackInteger.Encode(index - @base, 4, 0x10, dest);
                break;
            case 2:
                n = QpackInteger.Encode(index, 4, 0x50, dest);
                n += QpackString.Encode(f.Value, 7, 0, UseHuffman, dest[n..]);
                break;
            case 3:
                n = index < @base
                    ? QpackInteger.Encode(@base - 1 - index, 4, 0x40, dest)
                    : QpackInteger.Encode(index - @base, 3, 0x00, dest);
                n += QpackString.Encode(f.Value, 7, 0, UseHuffman, dest[n..]);
                break;
            default:
                n = QpackString.Encode(f.Name, 3, 0x20, UseHuffman, dest);
                n += QpackString.Encode(f.Value, 7, 0, UseHuffman, dest[n..]);
                break;
        }

        output.Advance(n);
    }

    private void WriteInteger(long value, int prefix, byte flags)
    {
        Span<byte> dest = _encoderStream.GetSpan(16);
        _encoderStream.Advance(QpackInteger.Encode(value, prefix, flags, dest));
    }

    private void WriteString(string value, int prefix, byte flags)
    {
        Span<byte> dest = _encoderStream.GetSpan(16 + value.Length * 2);
        _encoderStream.Advance(QpackString.Encode(value, prefix, flags, UseHuffman, dest));
    }
}
