using System.Buffers;
using System.Text.Json;
using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Connection;

/// <summary>
/// A connection's qlog trace (qlog 0.3 in JSON-SEQ, RFC 7464: each record starts with RS and ends with LF):
/// every packet sent and received with its type, number and size, so tools such as qvis can show a
/// connection. One file per connection in the qlog directory, named by the original destination connection
/// ID and the vantage point (the QUIC Interop Runner's QLOGDIR convention). Written only when asked for (a
/// write per packet: a debugging aid, not for production traffic); a directory that cannot be written
/// disables the trace instead of failing the connection.
/// </summary>
internal sealed class QlogWriter : IDisposable
{
    private const byte RecordSeparator = 0x1E;
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _record = new(256);
    private readonly Utf8JsonWriter _json;
    private readonly long _start;

    private QlogWriter(FileStream file, long now)
    {
        _file = file;
        _json = new Utf8JsonWriter(_record);
        _start = now;
    }

    /// <summary>
    /// Opens the trace of a connection in <paramref name="dir"/>; null or empty disables. Null when disabled or
    /// the file cannot be created (any reason: a bad path must not fail the connection).
    /// </summary>
    public static QlogWriter? Open(string? dir, ConnectionId originalDestination, bool isClient, long now)
    {
        if (string.IsNullOrEmpty(dir)) return null;
        string odcid = Convert.ToHexStringLower(originalDestination.Span);
        string vantage = isClient ? "client" : "server";
        try
        {
            Directory.CreateDirectory(dir);
            var file = new FileStream(Path.Combine(dir, $"{odcid}_{vantage}.sqlog"), FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
            var writer = new QlogWriter(file, now);
            writer.WriteHeader(odcid, vantage);
            return writer;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            return null;
        }
    }

    /// <summary>A packet left: its type, number and size on the wire.</summary>
    public void PacketSent(EncryptionLevel level, long packetNumber, int length, long now)
        => WritePacket("transport:packet_sent", level, packetNumber, "length", length, now);

    /// <summary>A packet arrived and was decrypted: its type, number and payload size.</summary>
    public void PacketReceived(EncryptionLevel level, long packetNumber, int payloadLength, long now)
        => WritePacket("transport:packet_received", level, packetNumber, "payload_length", payloadLength, now);

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }

    private void WriteHeader(string odcid, string vantage)
    {
        _json.WriteStartObject();
        _json.WriteString("qlog_version", "0.3");
        _json.WriteString("qlog_format", "JSON-SEQ");
        _json.WriteString("title", "RtcClient QUIC");
        _json.WriteStartObject("trace");
        _json.WriteStartObject("vantage_point");
        _json.WriteString("type", vantage);
        _json.WriteEndObject();
        _json.WriteStartObject("common_fields");
        _json.WriteString("ODCID", odcid);
        _json.WriteString("time_format", "relative");
        _json.WriteNumber("reference_time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndObject();
        Commit();
    }

    private void WritePacket(string name, EncryptionLevel level, long packetNumber, string sizeName, int size, long now)
    {
        _json.WriteStartObject();
        _json.WriteNumber("time", (now - _start) / 1000.0); // microseconds in, milliseconds out
        _json.WriteString("name", name);
        _json.WriteStartObject("data");
        _json.WriteStartObject("header");
        _json.WriteString("packet_type", level switch
        {
            EncryptionLevel.Initial => "initial",
            EncryptionLevel.Handshake => "handshake",
            EncryptionLevel.EarlyData => "0RTT",
            _ => "1RTT",
        });
        _json.WriteNumber("packet_number", packetNumber);
        _json.WriteEndObject();
        _json.WriteStartObject("raw");
        _json.WriteNumber(sizeName, size);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndObject();
        Commit();
    }

    private void Commit()
    {
        _json.Flush();
        try
        {
            _file.WriteByte(RecordSeparator);
            _file.Write(_record.WrittenSpan);
            _file.WriteByte((byte)'\n');
            // One write per record: a process that exits mid-connection (an interop run) still leaves whole records.
            _file.Flush();
        }
        catch (IOException)
        {
            // A full disk loses the trace, never the connection.
        }
        _record.ResetWrittenCount();
        _json.Reset(_record);
    }
}
