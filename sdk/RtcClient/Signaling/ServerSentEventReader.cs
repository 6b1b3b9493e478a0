using System.Runtime.CompilerServices;
using System.Text;

namespace RtcClient.Signaling;

/// <summary>
/// Parses a text/event-stream (WHATWG HTML section 9.2.6): fields per line (CR, LF or CRLF), events
/// ended by a blank line, comments ignored, a leading BOM dropped. Lines and events are bounded while
/// reading, so a hostile server cannot grow the client's memory.
/// </summary>
public static class ServerSentEventReader
{
    /// <summary>Longest line (and event data) accepted; more ends the stream with <see cref="InvalidDataException"/>.</summary>
    public const int MaxLineLength = 256 * 1024;

    /// <summary>Reads events until the stream ends or <paramref name="cancellationToken"/> fires.</summary>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var chunk = new char[4096];
        var line = new StringBuilder();
        var data = new StringBuilder();
        string? type = null, id = null;
        bool hasData = false, first = true, lastWasCr = false;
        while (true)
        {
            int n = await reader.ReadAsync(chunk.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (n == 0) yield break;
            for (int i = 0; i < n; i++)
            {
                char c = chunk[i];
                if (first)
                {
                    first = false;
                    if (c == '\uFEFF') continue;
                }
                if (c == '\n' && lastWasCr)
                {
                    lastWasCr = false;
                    continue;
                }
                lastWasCr = c == '\r';
                if (c != '\r' && c != '\n')
                {
                    if (line.Length >= MaxLineLength) throw new InvalidDataException("event stream line too long");
                    line.Append(c);
                    continue;
                }
                // End of a line: a blank one dispatches the event.
                if (line.Length == 0)
                {
                    if (hasData) yield return new ServerSentEvent(type ?? "message", id, data.ToString());
                    type = null;
                    data.Clear();
                    hasData = false;
                    continue;
                }
                ApplyField(line.ToString(), ref type, ref id, data, ref hasData);
                line.Clear();
                if (data.Length > MaxLineLength) throw new InvalidDataException("event stream event too long");
            }
        }
    }

    private static void ApplyField(string line, ref string? type, ref string? id, StringBuilder data, ref bool hasData)
    {
        if (line[0] == ':') return;
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
