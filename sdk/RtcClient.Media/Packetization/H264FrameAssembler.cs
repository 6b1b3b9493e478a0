namespace RtcClient.Media.Packetization;

/// <summary>
/// Depacketizes RFC 6184 (single NAL, STAP-A, FU-A) and assembles access units. Packets may arrive
/// out of order within a reorder window; a sequence number missing once the window has moved past
/// it is lost. A frame with a loss, a broken FU-A (missing start or end) or more data than the size
/// limit is dropped, and from then on only a key frame (IDR) is delivered: <see cref="KeyFrameNeeded"/>
/// asks the stream to send PLI until one arrives. Memory is fixed at construction.
/// </summary>
public sealed class H264FrameAssembler
{
    private const int StartupPackets = 8;

    private readonly H264AccessUnitHandler _handler;
    private readonly int _mask;
    private readonly int _maxPacketSize;
    private readonly int _reorderWindow;
    private readonly byte[] _payloads;
    private readonly int[] _lengths;
    private readonly long[] _seqs;
    private readonly uint[] _timestamps;
    private readonly bool[] _markers;
    private readonly byte[] _frame;

    private bool _started;
    private long _nextSeq;
    private long _highest;
    private bool _haveFrame;
    private uint _frameTs;
    private int _frameLength;
    private bool _frameBroken;
    private bool _frameHasIdr;
    private bool _inFragment;
    private bool _draining;
    private int _jumpCandidate = -2;
    private long _completed, _dropped, _lost, _discarded, _oversize, _requests;

    /// <summary>
    /// Creates an assembler. <paramref name="capacity"/> packets (power of two) of at most
    /// <paramref name="maxPacketSize"/> bytes are buffered; frames are limited to <paramref name="maxFrameSize"/> bytes.
    /// </summary>
    public H264FrameAssembler(H264AccessUnitHandler handler, int capacity = 256, int maxPacketSize = 1500, int maxFrameSize = 1 << 20, int reorderWindow = 16)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (capacity < 16 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a power of two of at least 16");
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(reorderWindow, capacity);
        _handler = handler;
        _mask = capacity - 1;
        _maxPacketSize = maxPacketSize;
        _reorderWindow = reorderWindow;
        _payloads = new byte[capacity * maxPacketSize];
        _lengths = new int[capacity];
        _seqs = new long[capacity];
        _timestamps = new uint[capacity];
        _markers = new bool[capacity];
        _frame = new byte[maxFrameSize];
        _seqs.AsSpan().Fill(-1);
        KeyFrameNeeded = true; // nothing decodable before the first key frame
    }

    /// <summary>True after loss until a key frame is delivered: the receiver should send PLI.</summary>
    public bool KeyFrameNeeded { get; private set; }

    /// <summary>Counters.</summary>
    public H264AssemblerStatistics Statistics => new(_completed, _dropped, _lost, _discarded, _oversize, _requests);

    /// <summary>Adds one RTP packet's fields; the payload is copied. Never throws on content.</summary>
    public void Insert(ushort sequenceNumber, uint timestamp, bool marker, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload.Length > _maxPacketSize)
        {
            _discarded++;
            return;
        }
        long seq;
        if (!_started)
        {
            _started = true;
            seq = sequenceNumber + 65536L;
            _nextSeq = seq;
            _highest = seq;
        }
        else
        {
            seq = _highest + (short)(sequenceNumber - (ushort)_highest);
            if (seq < _nextSeq && !_draining && _highest - seq <= _reorderWindow)
            {
                _nextSeq = seq; // still starting up: an earlier packet overtaken by later ones
            }
            else if (seq < _nextSeq)
            {
                _discarded++; // already consumed or given up on
                return;
            }
            if (seq - _nextSeq > _mask)
            {
                // Far ahead: a sender restart if the next packet confirms it, otherwise noise.
                if (sequenceNumber != (ushort)(_jumpCandidate + 1))
                {
                    _jumpCandidate = sequenceNumber;
                    _discarded++;
                    return;
                }
                Resynchronize(seq);
            }
        }
        int slot = (int)(seq & _mask);
        if (_seqs[slot] == seq)
        {
            _discarded++;
            return;
        }
        _seqs[slot] = seq;
        _timestamps[slot] = timestamp;
        _markers[slot] = marker;
        _lengths[slot] = payload.Length;
        payload.CopyTo(_payloads.AsSpan(slot * _maxPacketSize));
        if (seq > _highest)
            _highest = seq;
        Drain();
    }

    private void Drain()
    {
        if (!_draining)
        {
            // At startup wait for a few packets so reordering cannot cut off the first frame.
            if (_highest - _nextSeq + 1 < Math.Min(StartupPackets, _reorderWindow))
                return;
            _draining = true;
        }
        for (int guard = 0; guard <= 2 * (_mask + 1); guard++)
        {
            int slot = (int)(_nextSeq & _mask);
            if (_seqs[slot] == _nextSeq)
            {
                _seqs[slot] = -1;
                _nextSeq++;
                Consume(_timestamps[slot], _markers[slot], _payloads.AsSpan(slot * _maxPacketSize, _lengths[slot]));
                continue;
            }
            if (_highest - _nextSeq < _reorderWindow)
                return;
            // The window moved past a missing packet: it is lost.
            _lost++;
            _nextSeq++;
            _frameBroken = true;
            RequestKeyFrame();
        }
    }

    private void Consume(uint timestamp, bool marker, ReadOnlySpan<byte> payload)
    {
        if (_haveFrame && timestamp != _frameTs)
            FinishFrame(); // a new timestamp ends the previous access unit even if its marker was lost
        if (!_haveFrame)
        {
            _haveFrame = true;
            _frameTs = timestamp;
            _frameLength = 0;
            _frameHasIdr = false;
            _inFragment = false;
        }
        int type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                if (_inFragment)
                    _frameBroken = true; // an FU-A ended without its end fragment
                _inFragment = false;
                AppendNal(payload, default);
                break;
            case H264Packetizer.StapA:
                if (_inFragment)
                    _frameBroken = true;
                _inFragment = false;
                for (int o = 1; o < payload.Length;)
                {
                    if (o + 2 > payload.Length)
                    {
                        _frameBroken = true;
                        break;
                    }
                    int size = (payload[o] << 8) | payload[o + 1];
                    if (size == 0 || o + 2 + size > payload.Length)
                    {
                        _frameBroken = true;
                        break;
                    }
                    AppendNal(payload.Slice(o + 2, size), default);
                    o += 2 + size;
                }
                break;
            case H264Packetizer.FuA:
                ConsumeFragment(payload);
                break;
            default:
                _frameBroken = true; // STAP-B, MTAP, FU-B are not used in mode 1
                break;
        }
        if (marker)
            FinishFrame();
    }

    private void ConsumeFragment(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 3)
        {
            _frameBroken = true;
            return;
        }
        bool start = (payload[1] & 0x80) != 0;
        bool end = (payload[1] & 0x40) != 0;
        if (start)
        {
            if (_inFragment)
                _frameBroken = true;
            byte header = (byte)((payload[0] & 0xE0) | (payload[1] & 0x1F));
            AppendNal([header], payload[2..]);
            _inFragment = !end;
            return;
        }
        if (!_inFragment)
        {
            _frameBroken = true; // continuation without its start
            return;
        }
        Append(payload[2..]);
        if (end)
            _inFragment = false;
    }

    private void AppendNal(ReadOnlySpan<byte> nal, ReadOnlySpan<byte> rest)
    {
        int type = nal[0] & 0x1F;
        if (type == 5)
            _frameHasIdr = true;
        ReadOnlySpan<byte> startCode = [0, 0, 0, 1];
        Append(startCode);
        Append(nal);
        Append(rest);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_frameLength > _frame.Length)
            return; // already over the limit: ignore the rest of this frame
        if (_frameLength + data.Length > _frame.Length)
        {
            _oversize++;
            _frameBroken = true;
            _frameLength = _frame.Length + 1;
            return;
        }
        data.CopyTo(_frame.AsSpan(_frameLength));
        _frameLength += data.Length;
    }

    private void FinishFrame()
    {
        bool ok = !_frameBroken && !_inFragment && _frameLength > 0 && _frameLength <= _frame.Length;
        if (ok && (!KeyFrameNeeded || _frameHasIdr))
        {
            _completed++;
            if (_frameHasIdr)
                KeyFrameNeeded = false;
            _handler(_frame.AsSpan(0, _frameLength), _frameTs, _frameHasIdr);
        }
        else
        {
            _dropped++;
            if (!ok)
                RequestKeyFrame();
        }
        _haveFrame = false;
        _frameBroken = false;
        _inFragment = false;
        _frameLength = 0;
    }

    private void RequestKeyFrame()
    {
        if (!KeyFrameNeeded)
            _requests++;
        KeyFrameNeeded = true;
    }

    private void Resynchronize(long seq)
    {
        _seqs.AsSpan().Fill(-1);
        if (_haveFrame)
        {
            _frameBroken = true;
            FinishFrame();
        }
        _nextSeq = seq;
        _highest = seq;
        _draining = false;
        RequestKeyFrame();
    }
}
