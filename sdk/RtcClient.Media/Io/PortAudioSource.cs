using System.Runtime.InteropServices;
using RtcClient.Native.PortAudio;

namespace RtcClient.Media.Io;

/// <summary>
/// Captures frames from an audio device through PortAudio's blocking API (each read waits for a full
/// frame). Overflows reported by PortAudio are counted; the frame is still delivered.
/// </summary>
public sealed unsafe class PortAudioSource : IAudioFrameSource, IDisposable
{
    private nint stream;

    /// <summary>Opens the capture device named <paramref name="deviceName"/> (null = default).</summary>
    /// <exception cref="RtcClient.Native.NativeLibraryMissingException">libportaudio2 is not installed.</exception>
    /// <exception cref="PortAudioException">No such device or it cannot deliver the format.</exception>
    public PortAudioSource(AudioFormat format, string? deviceName = null)
    {
        Format = format;
        PortAudioHost.Acquire();
        try
        {
            stream = PortAudioHost.OpenStream(deviceName, format, input: true, out _);
        }
        catch
        {
            PortAudioHost.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>Reads during which captured data had been lost.</summary>
    public long Overflows { get; private set; }

    /// <inheritdoc />
    public bool ReadFrame(Span<short> frame)
    {
        ObjectDisposedException.ThrowIf(stream == 0, this);
        if (frame.Length < Format.FrameSamples)
            throw new ArgumentException($"a frame is {Format.FrameSamples} samples", nameof(frame));
        int rc;
        fixed (short* p = frame)
            rc = PortAudioNative.ReadStream(stream, p, new CULong((nuint)Format.FrameSamplesPerChannel));
        if (rc == PortAudioNative.InputOverflowed)
            Overflows++;
        else if (rc != PortAudioNative.NoError)
            throw new PortAudioException("Pa_ReadStream", rc);
        return true;
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
