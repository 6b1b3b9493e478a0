using System.Runtime.InteropServices;
using RtcClient.Native.PortAudio;

namespace RtcClient.Media.Io;

/// <summary>
/// Process-wide PortAudio lifetime (reference-counted <c>Pa_Initialize</c>/<c>Pa_Terminate</c>) and
/// device listing. ALSA and JACK error printing is silenced first, since probing devices on a headless
/// machine writes about a hundred lines to stderr. ALSA reads ~/.asoundrc when PortAudio first
/// initializes, so user-defined PCMs (e.g. file devices) must exist before the first use.
/// </summary>
public static unsafe class PortAudioHost
{
    private static readonly Lock Gate = new();
    private static int users;

    /// <summary>Initializes PortAudio for one more user.</summary>
    /// <exception cref="RtcClient.Native.NativeLibraryMissingException">libportaudio2 is not installed.</exception>
    public static void Acquire()
    {
        lock (Gate)
        {
            if (users == 0)
            {
                AudioLibraryQuieting.Install();
                int rc = PortAudioNative.Initialize();
                if (rc != PortAudioNative.NoError)
                    throw new PortAudioException("Pa_Initialize", rc);
            }
            users++;
        }
    }

    /// <summary>Releases one user; the last one terminates PortAudio.</summary>
    public static void Release()
    {
        lock (Gate)
        {
            if (users == 0)
                return;
            if (--users == 0)
                _ = PortAudioNative.Terminate();
        }
    }

    /// <summary>Lists the devices PortAudio sees.</summary>
    public static IReadOnlyList<AudioDeviceInfo> ListDevices()
    {
        Acquire();
        try
        {
            int count = PortAudioNative.GetDeviceCount();
            if (count < 0)
                throw new PortAudioException("Pa_GetDeviceCount", count);
            var list = new List<AudioDeviceInfo>(count);
            for (int i = 0; i < count; i++)
            {
                var info = PortAudioNative.GetDeviceInfo(i);
                if (info is null)
                    continue;
                list.Add(new AudioDeviceInfo(i, Marshal.PtrToStringUTF8(info->Name) ?? $"device {i}",
                    info->MaxInputChannels, info->MaxOutputChannels, info->DefaultSampleRate));
            }
            return list;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Opens a blocking stream on the named device (null = PortAudio's default) in one direction.</summary>
    internal static nint OpenStream(string? deviceName, AudioFormat format, bool input, out int device)
    {
        device = deviceName is null
            ? (input ? PortAudioNative.GetDefaultInputDevice() : PortAudioNative.GetDefaultOutputDevice())
            : Find(deviceName, input);
        if (device < 0)
            throw new PortAudioException($"no {(input ? "capture" : "playback")} device{(deviceName is null ? "" : $" named '{deviceName}'")} (devices: {string.Join(", ", ListDevices().Select(d => d.Name))})");
        var info = PortAudioNative.GetDeviceInfo(device);
        var parameters = new PaStreamParameters
        {
            Device = device,
            ChannelCount = format.Channels,
            SampleFormat = new CULong((nuint)PortAudioNative.SampleFormatInt16),
            SuggestedLatency = info is null ? 0.05 : (input ? info->DefaultLowInputLatency : info->DefaultLowOutputLatency),
        };
        int rc = input
            ? PortAudioNative.OpenStream(out var stream, &parameters, null, format.SampleRate, new CULong((nuint)format.FrameSamplesPerChannel), new CULong((nuint)PortAudioNative.StreamFlagsNoClipNoDither), 0, 0)
            : PortAudioNative.OpenStream(out stream, null, &parameters, format.SampleRate, new CULong((nuint)format.FrameSamplesPerChannel), new CULong((nuint)PortAudioNative.StreamFlagsNoClipNoDither), 0, 0);
        if (rc != PortAudioNative.NoError)
            throw new PortAudioException($"Pa_OpenStream({deviceName ?? "default"})", rc);
        rc = PortAudioNative.StartStream(stream);
        if (rc != PortAudioNative.NoError)
        {
            _ = PortAudioNative.CloseStream(stream);
            throw new PortAudioException("Pa_StartStream", rc);
        }
        return stream;
    }

    private static int Find(string name, bool input)
    {
        int count = PortAudioNative.GetDeviceCount();
        for (int i = 0; i < count; i++)
        {
            var info = PortAudioNative.GetDeviceInfo(i);
            if (info is null || (input ? info->MaxInputChannels : info->MaxOutputChannels) <= 0)
                continue;
            if (Marshal.PtrToStringUTF8(info->Name) == name)
                return i;
        }
        return -1;
    }

    internal static void CloseStream(nint stream)
    {
        _ = PortAudioNative.StopStream(stream);
        _ = PortAudioNative.CloseStream(stream);
    }
}
