namespace RtcClient.Media.Codecs;

/// <summary>
/// RFC 3389 comfort noise payload: one byte of noise level in -dBov (0..127, bit 7 zero) followed by
/// the quantized reflection coefficients of the spectral model (order = payload length - 1). Levels
/// are relative to the overload point of 16-bit PCM (a full-scale square wave is 0 dBov); each
/// coefficient k in (-1, 1) travels as round(k·128 + 127), clamped to 0..255.
/// </summary>
public static class ComfortNoise
{
    /// <summary>Highest model order this implementation produces or accepts.</summary>
    public const int MaxOrder = 12;

    /// <summary>Static RTP payload type of CN at 8 kHz.</summary>
    public const byte PayloadType = 13;

    /// <summary>Quantizes a reflection coefficient.</summary>
    public static byte QuantizeReflection(double k) => (byte)Math.Clamp(Math.Round(k * 128 + 127), 0, 255);

    /// <summary>Dequantizes a reflection coefficient.</summary>
    public static double DequantizeReflection(byte q) => (q - 127) / 128.0;

    /// <summary>Level in -dBov (0..127) of a block with the given mean square.</summary>
    public static byte LevelFromMeanSquare(double meanSquare)
    {
        if (meanSquare <= 0)
            return 127;
        double dbov = -10 * Math.Log10(meanSquare / (32768.0 * 32768.0));
        return (byte)Math.Clamp(Math.Round(dbov), 0, 127);
    }

    /// <summary>Mean square of 16-bit PCM at a level of -<paramref name="level"/> dBov.</summary>
    public static double MeanSquareFromLevel(int level) => 32768.0 * 32768.0 * Math.Pow(10, -(level & 0x7F) / 10.0);
}
