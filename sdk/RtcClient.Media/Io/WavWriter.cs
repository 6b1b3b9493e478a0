using System.Buffers.Binary;

namespace RtcClient.Media.Io;

/// <summary>
/// Writes 16-bit PCM WAV (RIFF/WAVE, format tag 1). Input may be resampled to the file's rate on the
/// way in; the RIFF and data sizes are patched when the writer is disposed (the stream must be seekable).
/// </summary>
public sealed class WavWriter : IDisposable
{
    private const int HeaderSize = 44;
    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly PolyphaseResampler? resampler;
    private readonly byte[] scratch = new byte[8192];
    private short[] resampled = [];
    private long dataBytes;
    private bool disposed;

    /// <summary>Creates a writer producing <paramref name="format"/>; samples given at <paramref name="inputRate"/> (default: the file's rate) are resampled.</summary>
    public WavWriter(Stream stream, WavFormat format, int? inputRate = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanWrite)
            throw new ArgumentException("stream must be writable and seekable", nameof(stream));
        if (format.Channels is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(format), "only mono and stereo are supported");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(format.SampleRate);
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        Format = format;
        if (inputRate is int rate && rate != format.SampleRate)
            resampler = new PolyphaseResampler(rate, format.SampleRate, format.Channels);
        stream.Write(BuildHeader(0));
    }

    /// <summary>Creates a file at <paramref name="path"/>.</summary>
    public static WavWriter Create(string path, WavFormat format, int? inputRate = null) =>
        new(File.Create(path), format, inputRate);

    /// <summary>Format written to the file.</summary>
    public WavFormat Format { get; }

    /// <summary>Appends interleaved samples (at the input rate when resampling).</summary>
    public void Write(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (resampler is null)
        {
            WriteRaw(samples);
            return;
        }
        EnsureResampled(resampler.MaxOutput(samples.Length));
        int n = resampler.Process(samples, resampled);
        WriteRaw(resampled.AsSpan(0, n));
    }

    private void EnsureResampled(int length)
    {
        if (resampled.Length < length)
            resampled = new short[length];
    }

    private void WriteRaw(ReadOnlySpan<short> samples)
    {
        while (!samples.IsEmpty)
        {
            int n = Math.Min(samples.Length, scratch.Length / 2);
            for (int i = 0; i < n; i++)
                BinaryPrimitives.WriteInt16LittleEndian(scratch.AsSpan(2 * i), samples[i]);
            stream.Write(scratch, 0, 2 * n);
            dataBytes += 2 * n;
            samples = samples[n..];
        }
    }

    private byte[] BuildHeader(long data)
    {
        var h = new byte[HeaderSize];
        int blockAlign = 2 * Format.Channels;
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), (uint)Math.Min(36 + data, uint.MaxValue));
        "WAVEfmt "u8.CopyTo(h.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(22), (short)Format.Channels);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(24), Format.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(28), Format.SampleRate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(32), (short)blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(34), 16);
        "data"u8.CopyTo(h.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), (uint)Math.Min(data, uint.MaxValue - 36));
        return h;
    }

    /// <summary>Flushes the resampler tail, patches the header sizes and closes the stream unless asked not to.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        if (resampler is not null)
        {
            EnsureResampled(resampler.MaxFlushOutput);
            int n = resampler.Flush(resampled);
            WriteRaw(resampled.AsSpan(0, n));
        }
        disposed = true;
        long end = stream.Position;
        stream.Position = 0;
        stream.Write(BuildHeader(dataBytes));
        stream.Position = end;
        stream.Flush();
        if (!leaveOpen)
            stream.Dispose();
    }
}
