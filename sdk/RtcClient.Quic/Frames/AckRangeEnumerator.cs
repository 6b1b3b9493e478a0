using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Frames;

/// <summary>
/// Enumerates the ranges of a parsed ACK frame from the largest down (RFC 9000 section 19.3.1), without
/// allocating. The frame was validated when read, so enumeration cannot fail.
/// </summary>
public ref struct AckRangeEnumerator
{
    private readonly ReadOnlySpan<byte> _ranges;
    private readonly long _largest;
    private readonly long _firstRange;
    private int _offset;
    private bool _started;
    private AckRange _current;

    internal AckRangeEnumerator(long largest, long firstRange, ReadOnlySpan<byte> ranges)
    {
        _largest = largest;
        _firstRange = firstRange;
        _ranges = ranges;
    }

    /// <summary>The current range.</summary>
    public readonly AckRange Current => _current;

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    public readonly AckRangeEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next (lower) range.</summary>
    public bool MoveNext()
    {
        if (!_started)
        {
            _started = true;
            _current = new AckRange(_largest - _firstRange, _largest);
            return true;
        }

        if (_offset >= _ranges.Length) return false;
        VariableLengthInteger.TryRead(_ranges[_offset..], out long gap, out int read);
        _offset += read;
        VariableLengthInteger.TryRead(_ranges[_offset..], out long length, out read);
        _offset += read;
        long largest = _current.Smallest - gap - 2;
        _current = new AckRange(largest - length, largest);
        return true;
    }
}
