using System.Runtime.CompilerServices;
using System.Text;

namespace RtcClient.Signaling;

/// <summary>
/// Parses a text/event-stream (WHATWG HTML section 9.2.6): fields per line, events ended by a blank
/// line, comments ignored. Lines and events are bounded so a hostile server cannot grow memory.
/// </summary>
public static class ServerSentEventReader
{
    /// <summary>Longest line accepted; a longer one ends the stream with an error.</summary>
    public const int MaxLineLength = 256 * 1024;

    /// <summary>Reads events until the stream ends or <paramref name="cancellationToken"/> fires.</summary>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        string? type = null, id = null;
        var data = new StringBuilder();
        bool hasData = false;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null) yield break;
            if (line.Length > MaxLineLength || data.Length > MaxLineLength)
                throw new InvalidDataException("event stream line too long");
            if (line.Length == 0)
            {
                if (hasData) yield return new ServerSentEvent(type ?? "message", id, data.ToString());
                type = null;
                data.Clear();
                hasData = false;
                continue;
            }
            if (line[0] == ':') continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "event": type = value; break;
                case "id": if (!value.Contains('\0', StringComparison.Ordinal)) id = value; break;
                case "data":
                    if (hasData) data.Append('\n');
                    data.Append(value);
                    hasData = true;
                    break;
            }
        }
    }
}
