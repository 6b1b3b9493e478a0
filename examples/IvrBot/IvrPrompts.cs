using RtcClient.Media.Io;
using RtcExamples;

namespace IvrBot;

/// <summary>The IVR's built-in prompts, synthesized from tones (no speech synthesizer needed on the machine).</summary>
public static class IvrPrompts
{
    /// <summary>A rising three-note chime: "please enter your digits, then #".</summary>
    public static short[] Welcome(AudioFormat format) => Clips.Concat(
        Clips.Tone(format, 200, 6000, 523.25), Clips.Tone(format, 200, 6000, 659.25), Clips.Tone(format, 300, 6000, 783.99), Clips.Silence(format, 100));

    /// <summary>A falling two-note goodbye.</summary>
    public static short[] Goodbye(AudioFormat format) => Clips.Concat(
        Clips.Tone(format, 200, 6000, 783.99), Clips.Tone(format, 300, 6000, 523.25), Clips.Silence(format, 100));
}
