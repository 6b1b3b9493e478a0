using RtcClient.Media.Io;

namespace RtcExamples;

/// <summary>Builds audio clips: tones, tone sequences (prompts without a speech synthesizer) and WAV files.</summary>
public static class Clips
{
    /// <summary>A tone of <paramref name="milliseconds"/> at <paramref name="frequencies"/> Hz.</summary>
    public static short[] Tone(AudioFormat format, int milliseconds, double amplitude, params double[] frequencies)
    {
        var generator = new ToneGenerator(format, amplitude, frequencies);
        var samples = new short[format.SampleRate * milliseconds / 1000 * format.Channels];
        generator.Fill(samples);
        return samples;
    }

    /// <summary>Silence of <paramref name="milliseconds"/>.</summary>
    public static short[] Silence(AudioFormat format, int milliseconds) => new short[format.SampleRate * milliseconds / 1000 * format.Channels];

    /// <summary>Clips one after another.</summary>
    public static short[] Concat(params short[][] clips) => clips.SelectMany(c => c).ToArray();

    /// <summary>A WAV file converted to <paramref name="format"/>'s rate (and to mono when the format is mono).</summary>
    public static short[] FromWav(string path, AudioFormat format)
    {
        var (wav, samples) = WavReader.Read(path, format.SampleRate);
        if (wav.Channels == format.Channels) return samples;
        if (format.Channels != 1) throw new InvalidDataException($"{path}: {wav.Channels} channels cannot be played as {format.Channels}");
        var mono = new short[samples.Length / wav.Channels];
        for (int i = 0; i < mono.Length; i++)
        {
            int sum = 0;
            for (int c = 0; c < wav.Channels; c++) sum += samples[i * wav.Channels + c];
            mono[i] = (short)(sum / wav.Channels);
        }
        return mono;
    }
}
