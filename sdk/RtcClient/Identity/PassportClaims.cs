using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RtcClient.Identity;

/// <summary>
/// The claims of a SHAKEN PASSporT (RFC 8225 section 5, RFC 8588): <c>attest</c>, <c>dest</c>,
/// <c>iat</c>, <c>orig</c>, <c>origid</c>. Numbers are in canonical form (RFC 8224 section 8.3).
/// </summary>
public sealed record PassportClaims
{
    /// <summary>"A", "B" or "C" (RFC 8588).</summary>
    public required string Attestation { get; init; }

    /// <summary><c>dest.tn</c>: the called numbers.</summary>
    public IReadOnlyList<string> DestinationNumbers { get; init; } = [];

    /// <summary><c>dest.uri</c>: called URIs that are not numbers (e.g. a user name).</summary>
    public IReadOnlyList<string> DestinationUris { get; init; } = [];

    /// <summary><c>iat</c>: when it was signed, in seconds since the Unix epoch.</summary>
    public required long IssuedAt { get; init; }

    /// <summary><c>orig.tn</c>: the calling number.</summary>
    public required string OriginNumber { get; init; }

    /// <summary><c>origid</c>: the origination identifier (a UUID).</summary>
    public required string OrigId { get; init; }

    private static readonly JsonWriterOptions CanonicalWriter = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The payload in the canonical form of RFC 8225 section 9: members in lexicographic order at
    /// every level, no white space, only the escapes JSON requires.
    /// </summary>
    public string ToCanonicalJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, CanonicalWriter))
        {
            w.WriteStartObject();
            w.WriteString("attest", Attestation);
            w.WriteStartObject("dest");
            if (DestinationNumbers.Count > 0)
                WriteArray(w, "tn", DestinationNumbers);
            if (DestinationUris.Count > 0)
                WriteArray(w, "uri", DestinationUris);
            w.WriteEndObject();
            w.WriteNumber("iat", IssuedAt);
            w.WriteStartObject("orig");
            w.WriteString("tn", OriginNumber);
            w.WriteEndObject();
            w.WriteString("origid", OrigId);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values.Order(StringComparer.Ordinal))
            w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>
    /// Reads the claims from a PASSporT payload (UTF-8 JSON). False, with what is wrong, when a claim
    /// SHAKEN needs is missing or of the wrong type; claims it does not know are ignored.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out PassportClaims? claims, [NotNullWhen(false)] out string? error)
    {
        claims = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Fail("the payload is not a JSON object", out error);
            if (!TryString(root, "attest", out var attest) || attest is not ("A" or "B" or "C"))
                return Fail("'attest' must be \"A\", \"B\" or \"C\"", out error);
            if (!root.TryGetProperty("iat", out var iatElement) || iatElement.ValueKind != JsonValueKind.Number || !iatElement.TryGetInt64(out long iat))
                return Fail("'iat' must be an integer", out error);
            if (!root.TryGetProperty("orig", out var orig) || orig.ValueKind != JsonValueKind.Object
                || !TryString(orig, "tn", out var origTn) || !TelephoneNumber.IsCanonical(origTn))
                return Fail("'orig' must carry a telephone number in 'tn'", out error);
            if (!TryString(root, "origid", out var origId) || origId.Length == 0)
                return Fail("'origid' is required", out error);
            if (!root.TryGetProperty("dest", out var dest) || dest.ValueKind != JsonValueKind.Object)
                return Fail("'dest' must be an object", out error);
            if (!TryStrings(dest, "tn", out var destTn) || !TryStrings(dest, "uri", out var destUri) || destTn.Count + destUri.Count == 0)
                return Fail("'dest' must list numbers in 'tn' or URIs in 'uri'", out error);
            claims = new PassportClaims
            {
                Attestation = attest, IssuedAt = iat, OriginNumber = origTn, OrigId = origId,
                DestinationNumbers = destTn, DestinationUris = destUri,
            };
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            return Fail("the payload is not JSON: " + e.Message, out error);
        }
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    private static bool TryString(JsonElement parent, string name, [NotNullWhen(true)] out string? value)
    {
        value = parent.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return value is not null;
    }

    private static bool TryStrings(JsonElement parent, string name, out List<string> values)
    {
        values = [];
        if (!parent.TryGetProperty(name, out var e))
            return true;
        if (e.ValueKind != JsonValueKind.Array)
            return false;
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || values.Count == 64)
                return false;
            values.Add(item.GetString()!);
        }
        return true;
    }
}
