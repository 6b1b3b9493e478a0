namespace RtcClient.Http3;

/// <summary>A field line: a lowercase name and a value. Strings hold the wire bytes one to one (Latin-1).</summary>
/// <param name="Name">The field name.</param>
/// <param name="Value">The field value.</param>
public readonly record struct HeaderField(string Name, string Value)
{
    /// <summary>The entry size used by QPACK's dynamic table and SETTINGS_MAX_FIELD_SECTION_SIZE: name + value + 32 (RFC 9204 section 3.2.1).</summary>
    public int Size => Name.Length + Value.Length + 32;
}
