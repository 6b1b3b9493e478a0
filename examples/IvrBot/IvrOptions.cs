using RtcClient.Media.Io;
using RtcExamples;

namespace IvrBot;

/// <summary>How the IVR treats each call.</summary>
public sealed class IvrOptions
{
    /// <summary>Format of prompts and recordings.</summary>
    public AudioFormat Format { get; init; } = new(16000, 1, 20);
    /// <summary>Where caller recordings go (one WAV per call).</summary>
    public required string RecordingDirectory { get; init; }
    /// <summary>The prompt played after answering; null plays <see cref="IvrPrompts.Welcome"/>.</summary>
    public short[]? Prompt { get; init; }
    /// <summary>How long to wait for the next digit before giving up.</summary>
    public TimeSpan DigitTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Digits collected at most (without '#').</summary>
    public int MaxDigits { get; init; } = 20;
    /// <summary>How long answering and media set-up may take.</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
