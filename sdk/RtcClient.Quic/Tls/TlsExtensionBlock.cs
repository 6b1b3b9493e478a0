namespace RtcClient.Quic.Tls;

/// <summary>
/// Parsing and writing of an extensions block (<c>Extension extensions&lt;0..2^16-1&gt;</c>, RFC 8446
/// section 4.2) and of the list encodings shared by several extensions.
/// </summary>
internal static class TlsExtensionBlock
{
    /// <summary>
    /// Splits an extensions block into extension_data by type. A repeated type is illegal_parameter
    /// (section 4.2: at most one extension of each type per block).
    /// </summary>
    public static Dictionary<ushort, byte[]> Parse(ReadOnlySpan<byte> block)
    {
        var result = new Dictionary<ushort, byte[]>();
        var reader = new TlsReader(block);
        while (!reader.IsEmpty)
        {
            ushort type = reader.ReadUInt16();
            var data = reader.ReadVector16();
            if (!result.TryAdd(type, data.ToArray()))
                throw new TlsAlertException(TlsAlert.IllegalParameter, $"duplicate extension {type}");
        }
        return result;
    }

    /// <summary>Reads a non-empty list of 16-bit codepoints with a two-byte length prefix.</summary>
    public static ushort[] ReadUInt16List(ReadOnlySpan<byte> extensionData, string what)
    {
        var reader = new TlsReader(extensionData);
        var list = reader.ReadVector16();
        reader.EnsureEnd(what);
        if (list.IsEmpty || list.Length % 2 != 0) throw new TlsAlertException(TlsAlert.DecodeError, $"malformed {what}");
        var values = new ushort[list.Length / 2];
        for (int i = 0; i < values.Length; i++) values[i] = (ushort)(list[2 * i] << 8 | list[2 * i + 1]);
        return values;
    }

    /// <summary>Reads a ProtocolNameList (RFC 7301 section 3.1): non-empty names with one-byte lengths.</summary>
    public static List<string> ReadProtocolNameList(ReadOnlySpan<byte> extensionData)
    {
        var reader = new TlsReader(extensionData);
        var list = new TlsReader(reader.ReadVector16());
        reader.EnsureEnd("ALPN");
        if (list.IsEmpty) throw new TlsAlertException(TlsAlert.DecodeError, "empty ALPN list");
        var names = new List<string>();
        while (!list.IsEmpty)
        {
            var name = list.ReadVector8();
            if (name.IsEmpty) throw new TlsAlertException(TlsAlert.DecodeError, "empty ALPN protocol name");
            names.Add(System.Text.Encoding.Latin1.GetString(name));
        }
        return names;
    }

    /// <summary>Writes one extension: type and length-prefixed extension_data produced by <paramref name="body"/>.</summary>
    public static void Write(TlsWriter writer, ushort type, Action<TlsWriter> body)
    {
        writer.WriteUInt16(type);
        int start = writer.BeginVector(2);
        body(writer);
        writer.EndVector(start, 2);
    }

    /// <summary>Writes a cookie extension (RFC 8446 section 4.2.2).</summary>
    public static void WriteCookie(TlsWriter writer, byte[] cookie) => Write(writer, TlsExtensionType.Cookie, x =>
    {
        int start = x.BeginVector(2);
        x.WriteBytes(cookie);
        x.EndVector(start, 2);
    });

    /// <summary>Writes a two-byte-length list of 16-bit codepoints.</summary>
    public static void WriteUInt16List(TlsWriter writer, IEnumerable<ushort> values)
    {
        int start = writer.BeginVector(2);
        foreach (var v in values) writer.WriteUInt16(v);
        writer.EndVector(start, 2);
    }

    /// <summary>Writes a ProtocolNameList.</summary>
    public static void WriteProtocolNameList(TlsWriter writer, IEnumerable<string> names)
    {
        int start = writer.BeginVector(2);
        foreach (var name in names)
        {
            int n = writer.BeginVector(1);
            writer.WriteBytes(System.Text.Encoding.Latin1.GetBytes(name));
            writer.EndVector(n, 1);
        }
        writer.EndVector(start, 2);
    }
}
