namespace RtcClient.Identity;

/// <summary>
/// Telephone numbers as STIR compares them (RFC 8224 section 8.3): visual separators and a leading
/// '+' removed, leaving 1 to 15 characters of digits, '*' and '#' (the RFC 8226 TelephoneNumber alphabet).
/// </summary>
public static class TelephoneNumber
{
    /// <summary>Longest canonical number (E.164 has at most 15 digits).</summary>
    public const int MaxLength = 15;

    /// <summary>The canonical form of <paramref name="value"/>; false when it is not a telephone number (e.g. a user name).</summary>
    public static bool TryCanonicalize(string? value, out string canonical)
    {
        canonical = string.Empty;
        if (string.IsNullOrEmpty(value) || value.Length > 64)
            return false;
        Span<char> digits = stackalloc char[MaxLength];
        int n = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '+' && i == 0)
                continue;
            if (c is '-' or '.' or '(' or ')' or ' ')
                continue;
            if (!IsTelephoneNumberCharacter(c) || n == MaxLength)
                return false;
            digits[n++] = c;
        }
        if (n == 0)
            return false;
        canonical = new string(digits[..n]);
        return true;
    }

    /// <summary>True for the characters RFC 8226 allows in a TelephoneNumber.</summary>
    public static bool IsTelephoneNumberCharacter(char c) => c is (>= '0' and <= '9') or '*' or '#';

    /// <summary>True when <paramref name="value"/> is already canonical.</summary>
    public static bool IsCanonical(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
            return false;
        foreach (char c in value)
        {
            if (!IsTelephoneNumberCharacter(c))
                return false;
        }
        return true;
    }
}
