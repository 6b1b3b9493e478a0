namespace RtcClient.Media.Io;

/// <summary>An audio device as PortAudio lists it.</summary>
/// <param name="Index">PortAudio device index.</param>
/// <param name="Name">Device name (for ALSA, the PCM name such as "default" or one from ~/.asoundrc).</param>
/// <param name="MaxInputChannels">Capture channels, 0 for output-only devices.</param>
/// <param name="MaxOutputChannels">Playback channels, 0 for input-only devices.</param>
/// <param name="DefaultSampleRate">The device's preferred rate.</param>
public sealed record AudioDeviceInfo(int Index, string Name, int MaxInputChannels, int MaxOutputChannels, double DefaultSampleRate);
