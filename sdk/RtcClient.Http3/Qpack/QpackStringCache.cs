using System.Text;

namespace RtcClient.Http3.Qpack;

/// <summary>
/// Recently decoded field strings of one connection's decoder, so a value that repeats from one field section to
/// the next (authority, user agent, content type, a call's token) is handed back as the same string instead of a
/// new one. Direct-mapped and fixed in size: a hostile peer can only cause misses, never growth. Used under the
/// decoder's lock.
/// </summary>
internal sealed class QpackStringCache
{
    /// <summary>Longer strings are not cached: they rarely repeat and would pin memory.</summary>
    public const int MaxCachedLength = 256;

    private const int Slots = 64;
    private readonly string?[] _slots = new string?[Slots];

    /// <summary>The string of these Latin-1 bytes: the cached one when it matches, else a new one (then cached).</summary>
    public string Get(ReadOnlySpan<byte> latin1)
    {
        if (latin1.IsEmpty)
            return string.Empty;
        if (latin1.Length > MaxCachedLength)
            return Encoding.Latin1.GetString(latin1);
        var hash = new HashCode();
        hash.AddBytes(latin1);
        ref string? slot = ref _slots[hash.ToHashCode() & (Slots - 1)];
        // Ascii.Equals is false for any non-ASCII byte: such values are simply not reused.
        if (slot is { } cached && cached.Length == latin1.Length && Ascii.Equals(latin1, cached))
            return cached;
        return slot = Encoding.Latin1.GetString(latin1);
    }
}
