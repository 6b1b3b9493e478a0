using System.Buffers;

namespace RtcClient.Quic.Streams;

/// <summary>
/// Byte storage addressed by stream offset: offset o lives at index o mod length of a pooled array,
/// so a window of live bytes slides forward without copying. Callers keep the live window no wider
/// than <see cref="Length"/> (growing it with <see cref="Grow"/> first).
/// </summary>
internal sealed class ByteRing : IDisposable
{
    private byte[] _array = [];

    /// <summary>Bytes the ring can hold.</summary>
    public int Length => _array.Length;

    /// <summary>Makes the ring hold at least <paramref name="required"/> bytes, keeping [liveStart, liveEnd).</summary>
    public void Grow(int required, long liveStart, long liveEnd)
    {
        if (required <= _array.Length)
        {
            return;
        }
        var old = _array;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(required, Math.Max(4096, old.Length * 2)));
        _array = bigger;
        if (old.Length > 0)
        {
            // Copy the live window from the old layout into the new one.
            for (long o = liveStart; o < liveEnd;)
            {
                int from = (int)(o % old.Length);
                int n = (int)Math.Min(liveEnd - o, old.Length - from);
                Write(o, old.AsSpan(from, n));
                o += n;
            }
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    /// <summary>Stores <paramref name="data"/> at stream offset <paramref name="offset"/>.</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int at = (int)(offset % _array.Length);
            int n = Math.Min(data.Length, _array.Length - at);
            data[..n].CopyTo(_array.AsSpan(at, n));
            data = data[n..];
            offset += n;
        }
    }

    /// <summary>Copies the bytes at stream offset <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    public void Read(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int at = (int)(offset % _array.Length);
            int n = Math.Min(destination.Length, _array.Length - at);
            _array.AsSpan(at, n).CopyTo(destination);
            destination = destination[n..];
            offset += n;
        }
    }

    /// <summary>True when the stored bytes at <paramref name="offset"/> equal <paramref name="data"/>.</summary>
    public bool Matches(long offset, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int at = (int)(offset % _array.Length);
            int n = Math.Min(data.Length, _array.Length - at);
            if (!data[..n].SequenceEqual(_array.AsSpan(at, n)))
            {
                return false;
            }
            data = data[n..];
            offset += n;
        }
        return true;
    }

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
