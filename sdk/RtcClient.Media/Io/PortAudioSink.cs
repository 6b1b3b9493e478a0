using System.Runtime.InteropServices;
using RtcClient.Native.PortAudio;

namespace RtcClient.Media.Io;

/// <summary>
/// Plays frames on an audio device through PortAudio's blocking API (each write waits for room in the
/// device buffer, which paces a real device). Underruns reported by PortAudio are counted, not thrown.
/// </summary>
public sealed unsafe class PortAudioSink : IAudioFrameSink, IDisposable
{
    private nint stream;

    /// <summary>Opens the playback device named <paramref name="deviceName"/> (null = default).</summary>
    /// <exception cref="RtcClient.Native.NativeLibraryMissingException">libportaudio2 is not installed.</exception>
    /// <exception cref="PortAudioException">No such device or it cannot take the format.</exception>
    public PortAudioSink(AudioFormat format, string? deviceName = null)
    {
        Format = format;
        PortAudioHost.Acquire();
        try
        {
            stream = PortAudioHost.OpenStream(deviceName, format, input: false, out _);
        }
        catch
        {
            PortAudioHost.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>Writes during which the device had run dry.</summary>
    public long Underruns { get; private set; }

    /// <summary>Frames written.</summary>
    public long Frames { get; private set; }

    /// <inheritdoc />
    public void WriteFrame(ReadOnlySpan<short> frame)
    {
        ObjectDisposedException.ThrowIf(stream == 0, this);
        if (frame.Length < Format.FrameSamples)
            throw new ArgumentException($"a frame is {Format.FrameSamples} samples", nameof(frame));
        int rc;
        fixed (short* p = frame)
            rc = PortAudioNative.WriteStream(stream, p, new CULong((nuint)Format.FrameSamplesPerChannel));
        if (rc == PortAudioNative.OutputUnderflowed)
            Underruns++;
        else if (rc != PortAudioNative.NoError)
            throw new PortAudioException("Pa_WriteStream", rc);
        Frames++;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var s = Interlocked.Exchange(ref stream, 0);
        if (s == 0)
            return;
        PortAudioHost.CloseStream(s);
        PortAudioHost.Release();
    }
}
