namespace RtcExamples;

/// <summary>Parses certificate SHA-256 pins given on a command line (hex, colons allowed).</summary>
public static class CertificatePin
{
    /// <summary>The 32 bytes of <paramref name="hex"/>; throws <see cref="FormatException"/> when it is not a SHA-256 hash.</summary>
    public static byte[] Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var bytes = Convert.FromHexString(hex.Replace(":", "", StringComparison.Ordinal).Trim());
        if (bytes.Length != 32) throw new FormatException($"a SHA-256 pin has 32 bytes (64 hex digits), not {bytes.Length}");
        return bytes;
    }

    /// <summary>Hex form of a hash, as printed by 'rtc serve'.</summary>
    public static string Format(byte[] hash) => Convert.ToHexString(hash).ToLowerInvariant();
}
