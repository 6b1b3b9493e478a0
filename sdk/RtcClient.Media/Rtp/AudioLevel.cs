namespace RtcClient.Media.Rtp;

/// <summary>
/// The client-to-mixer audio level of RFC 6464: level in -dBov (0 loudest, 127 silence) and the
/// voice activity flag.
/// </summary>
/// <param name="Level">0-127, the negated level in dBov.</param>
/// <param name="VoiceActivity">The V bit.</param>
public readonly record struct AudioLevel(byte Level, bool VoiceActivity)
{
    /// <summary>Extension id the protocol fixes for audio level (one-byte form).</summary>
    public const int DefaultExtensionId = 1;

    /// <summary>The single byte carried in the extension element.</summary>
    public byte ToByte() => (byte)((VoiceActivity ? 0x80 : 0) | Math.Min(Level, (byte)127));

    /// <summary>Reads the extension element's byte; false when the element is not exactly one byte.</summary>
    public static bool TryRead(ReadOnlySpan<byte> element, out AudioLevel level)
    {
        if (element.Length != 1)
        {
            level = default;
            return false;
        }
        level = new AudioLevel((byte)(element[0] & 0x7F), (element[0] & 0x80) != 0);
        return true;
    }

    /// <summary>
    /// Measures a frame of 16-bit PCM: RMS relative to full scale, in whole dB, clamped to 0-127;
    /// voice activity when louder than <paramref name="voiceThresholdDbov"/>.
    /// </summary>
    public static AudioLevel Measure(ReadOnlySpan<short> pcm, int voiceThresholdDbov = 50)
    {
        if (pcm.IsEmpty)
            return new AudioLevel(127, false);
        long sum = 0; // exact: 32768^2 * 2^31 samples would be needed to overflow
        foreach (short s in pcm)
            sum += s * s;
        double rms = Math.Sqrt((double)sum / pcm.Length) / 32768.0;
        int level = rms <= 0 ? 127 : (int)Math.Round(-20 * Math.Log10(rms));
        level = Math.Clamp(level, 0, 127);
        return new AudioLevel((byte)level, level < voiceThresholdDbov);
    }
}
