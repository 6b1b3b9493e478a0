namespace RtcClient.Identity;

/// <summary>One entry of an RFC 8226 TNAuthorizationList.</summary>
/// <param name="Kind">Which alternative of the TNEntry choice.</param>
/// <param name="Value">The service provider code, the single number, or the first number of the range.</param>
/// <param name="Count">Numbers in a range (at least 2); 1 otherwise.</param>
public sealed record TnAuthEntry(TnAuthEntryKind Kind, string Value, long Count = 1)
{
    /// <summary>A service provider code entry.</summary>
    public static TnAuthEntry ServiceProviderCode(string code) => new(TnAuthEntryKind.ServiceProviderCode, code);

    /// <summary>A single-number entry (canonical form, RFC 8224 section 8.3).</summary>
    public static TnAuthEntry One(string number) => new(TnAuthEntryKind.One, number);

    /// <summary><paramref name="count"/> consecutive numbers from <paramref name="start"/> (canonical form).</summary>
    public static TnAuthEntry Range(string start, long count) => new(TnAuthEntryKind.Range, start, count);

    /// <summary>True when this entry authorizes the canonical number <paramref name="number"/> (a code covers none by itself).</summary>
    public bool Covers(string number)
    {
        switch (Kind)
        {
            case TnAuthEntryKind.One:
                return string.Equals(Value, number, StringComparison.Ordinal);
            case TnAuthEntryKind.Range:
                // A range runs over numbers of the start's length; '*' and '#' have no order, so only digits count.
                if (number.Length != Value.Length || !ulong.TryParse(Value, out ulong start) || !ulong.TryParse(number, out ulong n)
                    || !Value.All(char.IsAsciiDigit) || !number.All(char.IsAsciiDigit))
                    return false;
                return n >= start && n - start < (ulong)Count;
            default:
                return false;
        }
    }
}
