using RtcClient.Media.Codecs;
using RtcClient.Media.Rtp;

namespace RtcClient.Media.Jitter;

/// <summary>
/// Adaptive jitter buffer for one audio stream. Packets go in as they arrive (any order); one frame
/// comes out per clock tick. The target delay follows the measured jitter (RFC 3550 interarrival
/// jitter and the 95th percentile of transit delay over a window), never below one frame. Missing
/// frames are recovered from the next packet's FEC when the decoder can, concealed otherwise; the
/// delay grows by waiting (concealing) when packets are late and shrinks by dropping a frame when it
/// stays above target, which also absorbs clock drift. Memory is fixed at construction.
/// </summary>
public sealed class AudioJitterBuffer
{
    private readonly AudioJitterBufferOptions _options;
    private readonly IAudioDecoder _decoder;
    private readonly IAudioDecoder? _comfortNoise;
    private readonly DelayEstimator _estimator = new();
    private readonly int _mask;
    private readonly int _frameTs;
    private readonly int _frameSamples;
    private readonly int _maxTargetTs;
    private readonly byte[] _payloads;
    // What is known of each slot, side by side: an insert or a playout touches one cache line, not five arrays.
    private readonly Slot[] _slots;

    private bool _haveTimeline;
    private uint _ssrc;
    private long _highestSeq;
    private uint _highestTs;
    private bool _started;
    private long _nextSeq;
    private uint _nextTs;
    private int _aboveTargetTicks;
    private int _targetTs;
    private bool _inSilence;
    // Opus carries its own comfort noise: while the sender is in DTX the decoder generates it.
    private readonly bool _codecDtx;
    private bool _inCodecDtx;

    private bool _haveCandidate;
    private uint _candidateSsrc;
    private ushort _candidateSeq;
    private uint _candidateTs;

    private long _inserted, _duplicates, _late, _discarded, _resyncs, _lostFrames;
    private long _decodedSamples, _concealedSamples, _recoveredSamples, _insertedSamples, _removedSamples, _comfortNoiseSamples;

    /// <summary>
    /// Creates a buffer decoding with <paramref name="decoder"/>. <paramref name="comfortNoise"/>, if
    /// given, decodes RFC 3389 CN payloads and generates noise (its Conceal) while the sender is silent;
    /// without it silence is played.
    /// </summary>
    public AudioJitterBuffer(AudioJitterBufferOptions options, IAudioDecoder decoder, IAudioDecoder? comfortNoise = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(decoder);
        if (options.Capacity < 4 || (options.Capacity & (options.Capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(options), "Capacity must be a power of two of at least 4");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ClockRate, nameof(options));
        _options = options;
        _decoder = decoder;
        _comfortNoise = comfortNoise;
        _codecDtx = string.Equals(decoder.Info.Name, "opus", StringComparison.OrdinalIgnoreCase);
        _mask = options.Capacity - 1;
        _frameTs = (int)(options.ClockRate * options.FrameDuration.Ticks / TimeSpan.TicksPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_frameTs, nameof(options));
        var info = decoder.Info;
        _frameSamples = (int)(info.SampleRate * options.FrameDuration.Ticks / TimeSpan.TicksPerSecond);
        Channels = Math.Max(1, info.Channels);
        _maxTargetTs = Math.Max(_frameTs, Math.Min(ToTs(options.MaxDelay), (options.Capacity / 2) * _frameTs));
        _payloads = new byte[options.Capacity * options.MaxPayloadSize];
        _slots = new Slot[options.Capacity];
        ClearSlots();
        _targetTs = _frameTs;
    }

    /// <summary>Samples per channel in one frame (what Read produces).</summary>
    public int FrameSamples => _frameSamples;

    /// <summary>Channels of the decoded audio.</summary>
    public int Channels { get; }

    /// <summary>Current counters.</summary>
    public JitterBufferStatistics Statistics => new(_inserted, _duplicates, _late, _discarded, _resyncs, _lostFrames,
        _decodedSamples, _concealedSamples, _recoveredSamples, _insertedSamples, _removedSamples, _comfortNoiseSamples,
        FromTs(_started ? _lastDelayTs : 0), FromTs(_targetTs), FromTs((int)_estimator.Jitter));

    private int _lastDelayTs;

    /// <summary>Inserts a parsed RTP packet that arrived at <paramref name="arrival"/>.</summary>
    public JitterInsertResult Insert(in RtpPacket packet, TimeSpan arrival) =>
        Insert(packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.PayloadType, packet.Payload, arrival, placeholder: false);

    /// <summary>
    /// Inserts a packet that shares the stream's sequence space but carries no audio for this buffer
    /// (an RFC 4733 telephone event): playout passes over it without counting a loss.
    /// </summary>
    public JitterInsertResult InsertPlaceholder(ushort sequenceNumber, uint timestamp, uint ssrc, TimeSpan arrival) =>
        Insert(sequenceNumber, timestamp, ssrc, 0, default, arrival, placeholder: true);

    /// <summary>Inserts one packet's fields; the payload is copied.</summary>
    public JitterInsertResult Insert(ushort sequenceNumber, uint timestamp, uint ssrc, byte payloadType, ReadOnlySpan<byte> payload, TimeSpan arrival, bool placeholder = false)
    {
        if (payload.Length > _options.MaxPayloadSize)
        {
            _discarded++;
            return JitterInsertResult.TooLarge;
        }
        var result = JitterInsertResult.Accepted;
        if (!_haveTimeline)
        {
            StartTimeline(ssrc, sequenceNumber, timestamp);
        }
        else if (ssrc != _ssrc || IsDiscontinuity(sequenceNumber, timestamp))
        {
            if (!ConfirmsCandidate(ssrc, sequenceNumber, timestamp))
            {
                _haveCandidate = true;
                _candidateSsrc = ssrc;
                _candidateSeq = sequenceNumber;
                _candidateTs = timestamp;
                _discarded++;
                return JitterInsertResult.Discontinuity;
            }
            Resync(ssrc, sequenceNumber, timestamp);
            result = JitterInsertResult.Resynchronized;
        }
        _haveCandidate = false;

        long seq = Extend(sequenceNumber);
        if (_started && seq < _nextSeq)
        {
            _estimator.Add((int)(ToRtp(arrival) - timestamp)); // still a timing sample: late packets must raise the target
            UpdateTarget();
            _late++;
            return JitterInsertResult.Late;
        }
        int slot = (int)(seq & _mask);
        if (_slots[slot].Seq == seq)
        {
            _duplicates++;
            return JitterInsertResult.Duplicate;
        }
        if (_started && seq - _nextSeq > _mask)
        {
            // Far ahead of playout: drop the oldest frames rather than grow (bounded memory, fresh audio).
            long newNext = seq - _mask;
            for (long s = _nextSeq; s < newNext; s++)
            {
                int old = (int)(s & _mask);
                if (_slots[old].Seq == s)
                {
                    _slots[old].Seq = -1;
                    _discarded++;
                }
            }
            _nextSeq = newNext;
            }
        if (seq > _highestSeq)
        {
            _highestSeq = seq;
            _highestTs = timestamp;
        }
        _slots[slot].Seq = seq;
        _slots[slot].Timestamp = timestamp;
        _slots[slot].PayloadType = payloadType;
        _slots[slot].Placeholder = placeholder;
        _slots[slot].Length = payload.Length;
        payload.CopyTo(_payloads.AsSpan(slot * _options.MaxPayloadSize));
        if (!placeholder)
            _estimator.Add((int)(ToRtp(arrival) - timestamp));
        _inserted++;
        UpdateTarget();
        return result;
    }

    /// <summary>
    /// Produces the next frame (<see cref="FrameSamples"/> × <see cref="Channels"/> samples) for the tick at
    /// <paramref name="now"/>. Never throws on stream content.
    /// </summary>
    public AudioPlayoutKind Read(TimeSpan now, Span<short> pcm)
    {
        int total = _frameSamples * Channels;
        if (pcm.Length < total)
            throw new ArgumentException("buffer smaller than one frame", nameof(pcm));
        pcm = pcm[..total];
        uint nowRtp = ToRtp(now);
        if (!_started && !TryStart(nowRtp))
        {
            pcm.Clear();
            return AudioPlayoutKind.Buffering;
        }

        int delay = CurrentDelayTs(nowRtp);
        _lastDelayTs = delay;
        if (delay < _targetTs && !_inSilence)
        {
            // Below target: play an extra concealment frame without moving the timeline, so the delay grows by one frame.
            FillTail(pcm, _decoder.Conceal(pcm, _frameSamples));
            _insertedSamples += _frameSamples;
            return AudioPlayoutKind.Inserted;
        }
        _aboveTargetTicks = delay >= _targetTs + _frameTs ? _aboveTargetTicks + 1 : 0;
        if (_aboveTargetTicks >= _options.ShrinkAfterTicks && TryDropFrame())
            _aboveTargetTicks = 0;

        for (int guard = 0; guard <= _mask + 1; guard++)
        {
            int slot = (int)(_nextSeq & _mask);
            if (_slots[slot].Seq == _nextSeq)
            {
                int ahead = (int)(_slots[slot].Timestamp - _nextTs);
                if (_slots[slot].Placeholder)
                {
                    _slots[slot].Seq = -1;
                    _nextSeq++;
                    continue;
                }
                if (ahead > _frameTs / 2)
                {
                    // The sender skipped time (DTX, telephone event): fill with comfort noise until it is due.
                    _nextTs += (uint)_frameTs;
                    return ComfortNoise(pcm);
                }
                if (ahead < -_frameTs / 2)
                {
                    // Its time passed while it was missing (already concealed): too late to play.
                    _slots[slot].Seq = -1;
                    _nextSeq++;
                    _late++;
                    continue;
                }
                return PlaySlot(slot, pcm);
            }
            long later = FindNextBuffered();
            if (later < 0)
                break;
            int laterSlot = (int)(later & _mask);
            if ((int)(_slots[laterSlot].Timestamp - _nextTs) <= _frameTs / 2 || _slots[laterSlot].Placeholder)
            {
                // The missing packet's slot in time is already behind us (concealed on an earlier tick): skip it.
                _lostFrames++;
                _nextSeq++;
                continue;
            }
            // _nextSeq is missing and later audio is here: the frame is lost; recover it from the next packet or conceal.
            _lostFrames++;
            _nextSeq++;
            _nextTs += (uint)_frameTs;
            if (later == _nextSeq && (int)(_slots[laterSlot].Timestamp - _nextTs) == 0
                && _slots[laterSlot].PayloadType != _options.ComfortNoisePayloadType)
            {
                int recovered = _decoder.DecodeFromNext(SlotPayload(laterSlot), pcm, _frameSamples);
                if (recovered > 0)
                {
                    FillTail(pcm, recovered);
                    _concealedSamples += _frameSamples;
                    _recoveredSamples += _frameSamples;
                    return AudioPlayoutKind.RecoveredFromNext;
                }
            }
            return Conceal(pcm);
        }

        // Nothing playable buffered: the timeline moves on regardless; a packet arriving later is late.
        _nextTs += (uint)_frameTs;
        return _inSilence ? ComfortNoise(pcm) : Conceal(pcm);
    }

    /// <summary>
    /// Moves the playout timeline on by <paramref name="frames"/> frames that could not be played (the
    /// clock skipped ticks); packets for that time are dropped as late when reached.
    /// </summary>
    public void SkipFrames(int frames)
    {
        if (!_started || frames <= 0)
            return;
        frames = Math.Min(frames, _mask + 1);
        _nextTs += (uint)(frames * _frameTs);
        _removedSamples += (long)frames * _frameSamples;
    }

    private AudioPlayoutKind PlaySlot(int slot, Span<short> pcm)
    {
        uint ts = _slots[slot].Timestamp;
        var payload = SlotPayload(slot);
        _slots[slot].Seq = -1;
        _nextSeq++;
        _nextTs = ts + (uint)_frameTs;
        if (_slots[slot].PayloadType == _options.ComfortNoisePayloadType)
        {
            _inSilence = true;
            _inCodecDtx = false;
            if (_comfortNoise is not null)
            {
                int n = SafeDecode(_comfortNoise, payload, pcm);
                FillTail(pcm, n);
            }
            else
            {
                pcm.Clear();
            }
            _comfortNoiseSamples += _frameSamples;
            return AudioPlayoutKind.ComfortNoise;
        }
        _inSilence = _inCodecDtx = false;
        if (_codecDtx && OpusPacket.IsDtx(payload))
        {
            // The sender went silent (Opus DTX, RFC 7587 section 3.1.3): comfort noise until audio resumes, no loss.
            _inSilence = _inCodecDtx = true;
            return ComfortNoise(pcm);
        }
        int samples = SafeDecode(_decoder, payload, pcm);
        if (samples <= 0)
            return Conceal(pcm);
        FillTail(pcm, samples);
        _decodedSamples += _frameSamples;
        return AudioPlayoutKind.Decoded;
    }

    private int SafeDecode(IAudioDecoder decoder, ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        try
        {
            return Math.Min(decoder.Decode(payload, pcm), _frameSamples);
        }
        catch (ArgumentException)
        {
            // A corrupt payload the codec rejects is a lost frame, not a failure of the stream.
            return 0;
        }
    }

    private AudioPlayoutKind Conceal(Span<short> pcm)
    {
        int n = _decoder.Conceal(pcm, _frameSamples);
        FillTail(pcm, n);
        _concealedSamples += _frameSamples;
        return AudioPlayoutKind.Concealed;
    }

    private AudioPlayoutKind ComfortNoise(Span<short> pcm)
    {
        if (_comfortNoise is not null)
            FillTail(pcm, _comfortNoise.Conceal(pcm, _frameSamples));
        else if (_inCodecDtx)
            FillTail(pcm, _decoder.Conceal(pcm, _frameSamples));
        else
            pcm.Clear();
        _comfortNoiseSamples += _frameSamples;
        return AudioPlayoutKind.ComfortNoise;
    }

    private void FillTail(Span<short> pcm, int samplesPerChannel)
    {
        int written = Math.Clamp(samplesPerChannel, 0, _frameSamples) * Channels;
        pcm[written..].Clear();
    }

    private bool TryDropFrame()
    {
        // Only drop when the frame after it is here too, so the drop never causes a gap.
        int slot = (int)(_nextSeq & _mask);
        int next = (int)((_nextSeq + 1) & _mask);
        if (_slots[slot].Seq != _nextSeq || _slots[next].Seq != _nextSeq + 1 || _slots[slot].Placeholder || _slots[next].Placeholder)
            return false;
        if ((int)(_slots[next].Timestamp - _slots[slot].Timestamp) != _frameTs)
            return false;
        _slots[slot].Seq = -1;
        _nextSeq++;
        _nextTs = _slots[next].Timestamp;
        _removedSamples += _frameSamples;
        return true;
    }

    private long FindNextBuffered()
    {
        for (long s = _nextSeq + 1; s <= _highestSeq && s - _nextSeq <= _mask; s++)
        {
            if (_slots[s & _mask].Seq == s)
                return s;
        }
        return -1;
    }

    private bool TryStart(uint nowRtp)
    {
        if (!_estimator.HasSamples)
            return false;
        long first = -1;
        for (long s = Math.Max(0, _highestSeq - _mask); s <= _highestSeq; s++)
        {
            if (_slots[s & _mask].Seq == s)
            {
                first = s;
                break;
            }
        }
        if (first < 0)
            return false;
        uint ts = _slots[first & _mask].Timestamp;
        int waited = (int)(nowRtp - ts) - _estimator.MinimumDelay;
        if (waited < _targetTs)
            return false;
        _started = true;
        _nextSeq = first;
        _nextTs = ts;
        _aboveTargetTicks = 0;
        return true;
    }

    private int CurrentDelayTs(uint nowRtp) => (int)(nowRtp - _nextTs) - _estimator.MinimumDelay;

    private void UpdateTarget()
    {
        double spread = Math.Max(_estimator.PercentileSpread, 2 * _estimator.Jitter);
        int wanted = Math.Clamp((int)(spread + _frameTs / 2.0), _frameTs, _maxTargetTs);
        // Grow at once (late packets hurt), shrink gently (avoid pumping).
        _targetTs = wanted >= _targetTs ? wanted : _targetTs - Math.Max(1, (_targetTs - wanted) / 16);
    }

    private bool IsDiscontinuity(ushort sequenceNumber, uint timestamp)
    {
        int seqDelta = (short)(sequenceNumber - (ushort)_highestSeq);
        if (Math.Abs(seqDelta) > _mask * 4)
            return true;
        int tsDelta = (int)(timestamp - _highestTs);
        if (seqDelta > 0 && tsDelta < 0)
            return true; // time went backwards while sequence went forward
        long maxJump = ToTs(_options.MaxTimestampJump);
        return Math.Abs((long)tsDelta) > maxJump + (long)Math.Abs(seqDelta) * _frameTs;
    }

    private bool ConfirmsCandidate(uint ssrc, ushort sequenceNumber, uint timestamp) =>
        _haveCandidate && ssrc == _candidateSsrc && sequenceNumber == (ushort)(_candidateSeq + 1)
        && (int)(timestamp - _candidateTs) >= 0 && (int)(timestamp - _candidateTs) <= ToTs(_options.MaxDelay) + _frameTs;

    private void Resync(uint ssrc, ushort sequenceNumber, uint timestamp)
    {
        _resyncs++;
        ClearSlots();
        _estimator.Reset();
        _started = false;
        _inSilence = _inCodecDtx = false;
        StartTimeline(ssrc, (ushort)(sequenceNumber - 1), timestamp - (uint)_frameTs);
    }

    private void StartTimeline(uint ssrc, ushort sequenceNumber, uint timestamp)
    {
        _haveTimeline = true;
        _ssrc = ssrc;
        _highestSeq = sequenceNumber + 65536L; // keep extended numbers positive when reordering below the first
        _highestTs = timestamp;
    }

    private long Extend(ushort sequenceNumber) => _highestSeq + (short)(sequenceNumber - (ushort)_highestSeq);

    private void ClearSlots()
    {
        for (int i = 0; i < _slots.Length; i++)
            _slots[i].Seq = -1;
    }

    private ReadOnlySpan<byte> SlotPayload(int slot) => _payloads.AsSpan(slot * _options.MaxPayloadSize, _slots[slot].Length);

    private uint ToRtp(TimeSpan time) => (uint)(time.Ticks * _options.ClockRate / TimeSpan.TicksPerSecond);

    private int ToTs(TimeSpan time) => (int)Math.Min(int.MaxValue / 2, time.Ticks * _options.ClockRate / TimeSpan.TicksPerSecond);

    private TimeSpan FromTs(int ts) => TimeSpan.FromTicks((long)ts * TimeSpan.TicksPerSecond / _options.ClockRate);

    private struct Slot
    {
        public long Seq;
        public uint Timestamp;
        public int Length;
        public byte PayloadType;
        public bool Placeholder;
    }
}
