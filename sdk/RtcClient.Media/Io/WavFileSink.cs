namespace RtcClient.Media.Io;

/// <summary>
/// Records the audio a call receives to a 16-bit PCM WAV file (<c>call.AudioSink = new WavFileSink(path,
/// format)</c>). Frames are written as they come, through the file's buffer; disposing finishes the file.
/// </summary>
public sealed class WavFileSink : IAudioFrameSink, IDisposable
{
    private readonly Lock _gate = new();
    private WavWriter? _writer;

    /// <summary>Creates (or overwrites) <paramref name="path"/>, and its directory if needed, for frames of <paramref name="format"/>.</summary>
    public WavFileSink(string path, AudioFormat format)
    {
        Path = path;
        Format = format;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        _writer = WavWriter.Create(path, new WavFormat(format.SampleRate, format.Channels));
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>Frames written so far.</summary>
    public long Frames { get; private set; }

    /// <inheritdoc />
    public void WriteFrame(ReadOnlySpan<short> frame)
    {
        lock (_gate)
        {
            if (_writer is null) return; // a frame can race the end of the call
            _writer.Write(frame[..Format.FrameSamples]);
            Frames++;
        }
    }

    /// <summary>Finishes the file (header sizes); later frames are ignored.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }
}
