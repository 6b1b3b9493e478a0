using System.Buffers;

namespace RtcClient.Http3.Qpack;

/// <summary>
/// The QPACK decoder (RFC 9204 sections 2.2 and 4.4/4.5): keeps the decoder side of the dynamic table from the
/// encoder stream, decodes field sections (reporting a section as blocked when its Required Insert Count is not
/// reached yet, within SETTINGS_QPACK_BLOCKED_STREAMS), writes decoder instructions, and bounds the decoded size of
/// every section by SETTINGS_MAX_FIELD_SECTION_SIZE.
/// </summary>
internal sealed class QpackDecoder
{
    private readonly QpackDynamicTable _table;
    private readonly List<(long RequiredInsertCount, TaskCompletionSource Waiter)> _waiters = [];
    private readonly object _gate = new();
    private readonly QpackStringCache _strings = new();

    /// <summary>Creates a decoder with our advertised settings.</summary>
    public QpackDecoder(long maxTableCapacity, long maxBlockedStreams, long maxFieldSectionSize)
    {
        _table = new QpackDynamicTable(maxTableCapacity);
        MaxBlockedStreams = maxBlockedStreams;
        MaxFieldSectionSize = maxFieldSectionSize;
    }

    /// <summary>Our SETTINGS_QPACK_BLOCKED_STREAMS.</summary>
    public long MaxBlockedStreams { get; }

    /// <summary>Our SETTINGS_MAX_FIELD_SECTION_SIZE: the bound on a decoded section (names + values + 32 per line).</summary>
    public long MaxFieldSectionSize { get; }

    /// <summary>The decoder's copy of the dynamic table.</summary>
    public QpackDynamicTable Table => _table;

    /// <summary>Insertions acknowledged to the encoder so far (Section Acknowledgment / Insert Count Increment).</summary>
    public long AcknowledgedInsertCount { get; private set; }

    /// <summary>Streams currently waiting for insertions.</summary>
    public int BlockedStreamCount { get { lock (_gate) return _waiters.Count; } }

    /// <summary>Reads encoder instructions; returns the bytes consumed (a partial instruction is left for later).</summary>
    public int ProcessEncoderInstructions(ReadOnlySpan<byte> data)
    {
        int consumed = 0;
        int maxString = (int)Math.Min(int.MaxValue, Math.Max(_table.MaxCapacity, 1));
        const Http3ErrorCode Error = Http3ErrorCode.QpackEncoderStreamError;
        lock (_gate)
        {
            while (consumed < data.Length)
            {
                ReadOnlySpan<byte> rest = data[consumed..];
                byte b = rest[0];
                int n;
                if ((b & 0x80) != 0)
                {
                    // Insert With Name Reference.
                    bool isStatic = (b & 0x40) != 0;
                    n = QpackInteger.Decode(rest, 6, out long index);
                    if (n < 0)
                        throw new Http3ProtocolException(Error, "integer overflow");
                    if (n == 0)
                        break;
                    int v = QpackString.Decode(rest[n..], 7, maxString, Error, _strings, out string value);
                    if (v == 0)
                        break;
                    string name = isStatic ? StaticName(index, Error) : DynamicRelative(index, Error).Name;
                    Insert(new HeaderField(name, value));
                    n += v;
                }
                else if ((b & 0x40) != 0)
                {
                    // Insert With Literal Name.
                    int k = QpackString.Decode(rest, 5, maxString, Error, _strings, out string name);
                    if (k == 0)
                        break;
                    int v = QpackString.Decode(rest[k..], 7, maxString, Error, _strings, out string value);
                    if (v == 0)
                        break;
                    Insert(new HeaderField(name, value));
                    n = k + v;
                }
                else if ((b & 0x20) != 0)
                {
                    // Set Dynamic Table Capacity.
                    n = QpackInteger.Decode(rest, 5, out long capacity);
                    if (n == 0)
                        break;
                    if (n < 0 || !_table.SetCapacity(capacity))
                        throw new Http3ProtocolException(Error, "dynamic table capacity above SETTINGS_QPACK_MAX_TABLE_CAPACITY");
                }
                else
                {
                    // Duplicate.
                    n = QpackInteger.Decode(rest, 5, out long index);
                    if (n < 0)
                        throw new Http3ProtocolException(Error, "integer overflow");
                    if (n == 0)
                        break;
                    Insert(DynamicRelative(index, Error));
                }

                consumed += n;
            }

            ReleaseWaiters();
        }

        return consumed;
    }

    /// <summary>
    /// Decodes a field section into <paramref name="output"/>. Returns the Required Insert Count, or -1 when the
    /// section is blocked (call <see cref="WaitForInsertCountAsync"/> and retry). A non-zero result must be
    /// acknowledged with <see cref="WriteSectionAcknowledgment"/>.
    /// </summary>
    public long DecodeFieldSection(ReadOnlySpan<byte> section, List<HeaderField> output)
    {
        const Http3ErrorCode Error = Http3ErrorCode.QpackDecompressionFailed;
        int n = QpackInteger.Decode(section, 8, out long encodedRic);
        if (n <= 0)
            throw new Http3ProtocolException(Error, "truncated field section prefix");
        int p = n;
        n = QpackInteger.Decode(section[p..], 7, out long delta);
        if (n <= 0)
            throw new Http3ProtocolException(Error, "truncated field section prefix");
        bool sign = (section[p] & 0x80) != 0;
        p += n;

        lock (_gate)
        {
            long ric = DecodeRequiredInsertCount(encodedRic);
            long @base;
            if (!sign)
            {
                @base = ric + delta;
            }
            else
            {
                if (delta >= ric)
                    throw new Http3ProtocolException(Error, "negative Base");
                @base = ric - delta - 1;
            }

            if (ric > _table.InsertCount)
                return -1;

            long budget = MaxFieldSectionSize;
            int count0 = output.Count;
            while (p < section.Length)
            {
                byte b = section[p];
                ReadOnlySpan<byte> rest = section[p..];
                HeaderField field;
                if ((b & 0x80) != 0)
                {
                    n = Int(rest, 6, out long index);
                    field = (b & 0x40) != 0 ? StaticEntry(index) : Dynamic(@base - 1 - index, ric);
                }
                else if ((b & 0x40) != 0)
                {
                    n = Int(rest, 4, out long index);
                    string name = (b & 0x10) != 0 ? StaticEntry(index).Name : Dynamic(@base - 1 - index, ric).Name;
                    n += Str(rest[n..], 7, Budget(budget, name.Length), out string value);
                    field = new HeaderField(name, value);
                }
                else if ((b & 0x20) != 0)
                {
                    n = Str(rest, 3, Budget(budget, 0), out string name);
                    n += Str(rest[n..], 7, Budget(budget, name.Length), out string value);
                    field = new HeaderField(name, value);
                }
                else if ((b & 0x10) != 0)
                {
                    n = Int(rest, 4, out long index);
                    field = Dynamic(@base + index, ric);
                }
                else
                {
                    n = Int(rest, 3, out long index);
                    string name = Dynamic(@base + index, ric).Name;
                    n += Str(rest[n..], 7, Budget(budget, name.Length), out string value);
                    field = new HeaderField(name, value);
                }

                budget -= field.Size;
                if (budget < 0)
                {
                    output.RemoveRange(count0, output.Count - count0);
                    throw new Http3ProtocolException(Http3ErrorCode.ExcessiveLoad, "field section larger than SETTINGS_MAX_FIELD_SECTION_SIZE", isStreamError: true);
                }

                output.Add(field);
                p += n;
            }

            return ric;
        }

        static int Int(ReadOnlySpan<byte> s, int prefix, out long v)
        {
            int n = QpackInteger.Decode(s, prefix, out v);
            if (n <= 0)
                throw new Http3ProtocolException(Error, "truncated or oversized integer in a field line");
            return n;
        }

        int Str(ReadOnlySpan<byte> s, int prefix, int max, out string v)
        {
            int n;
            try
            {
                n = QpackString.Decode(s, prefix, max, Error, _strings, out v);
            }
            catch (Http3ProtocolException e) when (e.ErrorCode == Error && e.Message.Contains("longer", StringComparison.Ordinal))
            {
                throw new Http3ProtocolException(Http3ErrorCode.ExcessiveLoad, "field section larger than SETTINGS_MAX_FIELD_SECTION_SIZE", isStreamError: true);
            }

            if (n == 0)
                throw new Http3ProtocolException(Error, "truncated string literal in a field line");
            return n;
        }

        static int Budget(long budget, int used) => (int)Math.Clamp(budget - 32 - used, 0, int.MaxValue);
    }

    /// <summary>Completes when the dynamic table has at least <paramref name="requiredInsertCount"/> insertions; refuses to block more than SETTINGS_QPACK_BLOCKED_STREAMS streams.</summary>
    public Task WaitForInsertCountAsync(long requiredInsertCount, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_table.InsertCount >= requiredInsertCount)
                return Task.CompletedTask;
            if (_waiters.Count >= MaxBlockedStreams)
                throw new Http3ProtocolException(Http3ErrorCode.QpackDecompressionFailed, "more blocked streams than SETTINGS_QPACK_BLOCKED_STREAMS");
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((requiredInsertCount, tcs));
            cancellationToken.Register(() =>
            {
                lock (_gate)
                    _waiters.RemoveAll(w => w.Waiter == tcs);
                tcs.TrySetCanceled(cancellationToken);
            });
            return tcs.Task;
        }
    }

    /// <summary>Blocked-section Required Insert Count of a section prefix, for <see cref="WaitForInsertCountAsync"/>.</summary>
    public long PeekRequiredInsertCount(ReadOnlySpan<byte> section)
    {
        int n = QpackInteger.Decode(section, 8, out long encodedRic);
        if (n <= 0)
            throw new Http3ProtocolException(Http3ErrorCode.QpackDecompressionFailed, "truncated field section prefix");
        lock (_gate)
            return DecodeRequiredInsertCount(encodedRic);
    }

    /// <summary>Writes Section Acknowledgment for a decoded section with a non-zero Required Insert Count.</summary>
    public void WriteSectionAcknowledgment(long streamId, long requiredInsertCount, IBufferWriter<byte> output)
    {
        lock (_gate)
            AcknowledgedInsertCount = Math.Max(AcknowledgedInsertCount, requiredInsertCount);
        Span<byte> dest = output.GetSpan(16);
        output.Advance(QpackInteger.Encode(streamId, 7, 0x80, dest));
    }

    /// <summary>Writes Stream Cancellation (a stream was reset before its sections were all processed).</summary>
    public static void WriteStreamCancellation(long streamId, IBufferWriter<byte> output)
    {
        Span<byte> dest = output.GetSpan(16);
        output.Advance(QpackInteger.Encode(streamId, 6, 0x40, dest));
    }

    /// <summary>Writes Insert Count Increment for insertions not yet acknowledged; false when there are none.</summary>
    public bool WriteInsertCountIncrement(IBufferWriter<byte> output)
    {
        long increment;
        lock (_gate)
        {
            increment = _table.InsertCount - AcknowledgedInsertCount;
            if (increment <= 0)
                return false;
            AcknowledgedInsertCount = _table.InsertCount;
        }

        Span<byte> dest = output.GetSpan(16);
        output.Advance(QpackInteger.Encode(increment, 6, 0x00, dest));
        return true;
    }

    private long DecodeRequiredInsertCount(long encoded)
    {
        if (encoded == 0)
            return 0;
        long maxEntries = _table.MaxEntries;
        long fullRange = 2 * maxEntries;
        if (encoded > fullRange)
            throw new Http3ProtocolException(Http3ErrorCode.QpackDecompressionFailed, "invalid Required Insert Count");
        long maxValue = _table.InsertCount + maxEntries;
        long maxWrapped = maxValue / fullRange * fullRange;
        long ric = maxWrapped + encoded - 1;
        if (ric > maxValue)
        {
            if (ric <= fullRange)
                throw new Http3ProtocolException(Http3ErrorCode.QpackDecompressionFailed, "invalid Required Insert Count");
            ric -= fullRange;
        }

        if (ric == 0)
            throw new Http3ProtocolException(Http3ErrorCode.QpackDecompressionFailed, "invalid Required Insert Count");
        return ric;
    }

    private void Insert(HeaderField field)
    {
        if (!_table.Insert(field))
            throw new Http3ProtocolException(Http3ErrorCode.QpackEncoderStreamError, "entry larger than the dynamic table capacity");
    }

    private void ReleaseWaiters()
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].RequiredInsertCount <= _table.InsertCount)
            {
                _waiters[i].Waiter.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private HeaderField DynamicRelative(long relative, Http3ErrorCode error)
    {
        long abs = _table.InsertCount - 1 - relative;
        if (relative < 0 || !_table.Contains(abs))
            throw new Http3ProtocolException(error, "reference to a missing or evicted dynamic table entry");
        return _table.Get(abs);
    }

    private HeaderField Dynamic(long abs, long requiredInsertCount)
    {
        if (abs < 0 || abs >= requiredInsertCount || !_table.Contains(abs))
            throw new Http3ProtocolException(Http3ErrorCode.QpackDecompressionFailed, "reference to a missing or evicted dynamic table entry");
        return _table.Get(abs);
    }

    private static string StaticName(long index, Http3ErrorCode error)
    {
        if (index < 0 || index >= QpackStaticTable.Entries.Length)
            throw new Http3ProtocolException(error, "static table index out of range");
        return QpackStaticTable.Entries[index].Name;
    }

    private static HeaderField StaticEntry(long index)
    {
        if (index < 0 || index >= QpackStaticTable.Entries.Length)
            throw new Http3ProtocolException(Http3ErrorCode.QpackDecompressionFailed, "static table index out of range");
        return QpackStaticTable.Entries[index];
    }
}
