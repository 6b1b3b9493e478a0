using System.Collections.Concurrent;

namespace RtcClient.Quic.Driver;

/// <summary>NSS key log files (SSLKEYLOGFILE format) shared by every connection writing to the same path.</summary>
internal static class KeyLogFile
{
    private static readonly ConcurrentDictionary<string, TextWriter> Writers = new(StringComparer.Ordinal);

    /// <summary>
    /// The writer for <paramref name="configuredPath"/>: null reads the SSLKEYLOGFILE environment variable,
    /// empty disables. Returns null when disabled or the file cannot be opened.
    /// </summary>
    public static TextWriter? Open(string? configuredPath)
    {
        string? path = configuredPath ?? Environment.GetEnvironmentVariable("SSLKEYLOGFILE");
        if (string.IsNullOrEmpty(path)) return null;
        try
        {
            return Writers.GetOrAdd(Path.GetFullPath(path), static p =>
            {
                var stream = new FileStream(p, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                return TextWriter.Synchronized(new StreamWriter(stream) { AutoFlush = true });
            });
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
