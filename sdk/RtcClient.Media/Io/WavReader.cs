using System.Buffers.Binary;

namespace RtcClient.Media.Io;

/// <summary>
/// Reads 16-bit PCM WAV files (mono or stereo, any rate), optionally resampled to a target rate.
/// Malformed files raise <see cref="InvalidDataException"/>; chunk sizes are bounded by the file length.
/// </summary>
public static class WavReader
{
    /// <summary>Reads the whole file: its format and interleaved samples (resampled when <paramref name="targetRate"/> is given).</summary>
    public static (WavFormat Format, short[] Samples) Read(string path, int? targetRate = null)
    {
        using var s = File.OpenRead(path);
        return Read(s, targetRate);
    }

    /// <summary>Reads a whole WAV stream.</summary>
    public static (WavFormat Format, short[] Samples) Read(Stream stream, int? targetRate = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var (format, samples) = Parse(ms.GetBuffer().AsSpan(0, (int)ms.Length));
        if (targetRate is not int rate || rate == format.SampleRate)
            return (format, samples);
        var resampler = new PolyphaseResampler(format.SampleRate, rate, format.Channels);
        var output = new short[resampler.MaxOutput(samples.Length) + resampler.MaxFlushOutput];
        int n = resampler.Process(samples, output);
        n += resampler.Flush(output.AsSpan(n));
        return (format with { SampleRate = rate }, output.AsSpan(0, n).ToArray());
    }

    /// <summary>Parses a WAV image held in memory.</summary>
    public static (WavFormat Format, short[] Samples) Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new InvalidDataException("not a RIFF/WAVE file");
        WavFormat? format = null;
        int pos = 12;
        while (pos + 8 <= file.Length)
        {
            var id = file.Slice(pos, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(file[(pos + 4)..]);
            int body = pos + 8;
            // A data chunk whose size overstates the file (streams written without patching) is clamped.
            int length = (int)Math.Min(size, (uint)(file.Length - body));
            if (id.SequenceEqual("fmt "u8))
            {
                if (length < 16)
                    throw new InvalidDataException("fmt chunk too short");
                var fmt = file.Slice(body, length);
                ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                ushort channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                int rate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
                ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                bool extensiblePcm = tag == 0xFFFE && length >= 26;
                if ((tag != 1 && !extensiblePcm) || bits != 16 || channels is not (1 or 2) || rate is <= 0 or > 384000)
                    throw new InvalidDataException($"unsupported WAV format (tag {tag}, {bits} bits, {channels} channels, {rate} Hz); need 16-bit PCM mono/stereo");
                format = new WavFormat(rate, channels);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not WavFormat f)
                    throw new InvalidDataException("data chunk before fmt chunk");
                int count = length / 2 / f.Channels * f.Channels;
                var samples = new short[count];
                for (int i = 0; i < count; i++)
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(file[(body + 2 * i)..]);
                return (f, samples);
            }
            pos = body + length + (length & 1);
        }
        throw new InvalidDataException("no data chunk");
    }
}
