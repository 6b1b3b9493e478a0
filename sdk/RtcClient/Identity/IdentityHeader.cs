using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace RtcClient.Identity;

/// <summary>
/// An RFC 8224 Identity header field value: the PASSporT (a compact JWS) followed by
/// <c>;info=&lt;uri&gt;</c> (where the signing certificate is), <c>;alg=</c> and <c>;ppt=</c>.
/// Carried in the protocol's <c>identity</c> member so a gateway passes it to SIP unchanged.
/// </summary>
/// <param name="Passport">The PASSporT in compact form (header.payload.signature, base64url).</param>
/// <param name="Info">The <c>info</c> URI; null when the value has none.</param>
/// <param name="Algorithm">The <c>alg</c> parameter, if present.</param>
/// <param name="PassportType">The <c>ppt</c> parameter, if present.</param>
public sealed record IdentityHeader(string Passport, Uri? Info, string? Algorithm, string? PassportType)
{
    /// <summary>Longest value parsed (a SHAKEN header is about 800 characters).</summary>
    public const int MaxLength = 8192;

    /// <summary>The RFC 8224 form.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Passport);
        if (Info is not null) text.Append(";info=<").Append(Info.AbsoluteUri).Append('>');
        if (Algorithm is not null) text.Append(";alg=").Append(Algorithm);
        if (PassportType is not null) text.Append(";ppt=").Append(PassportType);
        return text.ToString();
    }

    /// <summary>
    /// Parses a header value. False when it is not one (empty, too long, a PASSporT that is not three
    /// base64url parts, an empty parameter, an unterminated <c>&lt;uri&gt;</c>). An <c>info</c>
    /// that is not an absolute URI parses with <see cref="Info"/> null; unknown parameters are ignored.
    /// </summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out IdentityHeader? header)
    {
        header = null;
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength)
            return false;
        var text = value.AsSpan().Trim();
        int semi = text.IndexOf(';');
        var passport = (semi < 0 ? text : text[..semi]).Trim();
        if (!IsCompactJws(passport))
            return false;
        Uri? info = null;
        string? alg = null, ppt = null;
        var rest = semi < 0 ? ReadOnlySpan<char>.Empty : text[(semi + 1)..];
        while (!rest.IsEmpty)
        {
            int eq = rest.IndexOf('=');
            int end = rest.IndexOf(';');
            if (eq < 0 || (end >= 0 && end < eq))
            {
                // A generic parameter without a value (RFC 3261 generic-param): none of ours, skipped.
                if ((end < 0 ? rest : rest[..end]).Trim().IsEmpty)
                    return false;
                rest = end < 0 ? ReadOnlySpan<char>.Empty : rest[(end + 1)..];
                continue;
            }
            var name = rest[..eq].Trim();
            if (name.IsEmpty)
                return false;
            rest = rest[(eq + 1)..].TrimStart();
            ReadOnlySpan<char> paramValue;
            if (rest.StartsWith('<'))
            {
                int close = rest.IndexOf('>');
                if (close < 0)
                    return false;
                paramValue = rest[1..close];
                rest = rest[(close + 1)..].TrimStart();
                if (!rest.IsEmpty && rest[0] != ';')
                    return false;
            }
            else
            {
                end = rest.IndexOf(';');
                paramValue = (end < 0 ? rest : rest[..end]).Trim().Trim('"');
                rest = end < 0 ? ReadOnlySpan<char>.Empty : rest[end..];
            }
            if (!rest.IsEmpty)
                rest = rest[1..];
            if (name.Equals("info", StringComparison.OrdinalIgnoreCase))
                info = Uri.TryCreate(paramValue.ToString(), UriKind.Absolute, out var uri) ? uri : null;
            else if (name.Equals("alg", StringComparison.OrdinalIgnoreCase))
                alg = paramValue.ToString();
            else if (name.Equals("ppt", StringComparison.OrdinalIgnoreCase))
                ppt = paramValue.ToString();
        }
        header = new IdentityHeader(passport.ToString(), info, alg, ppt);
        return true;
    }

    private static bool IsCompactJws(ReadOnlySpan<char> token)
    {
        int dots = 0;
        foreach (char c in token)
        {
            if (c == '.')
                dots++;
            else if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return false;
        }
        return dots == 2 && token.Length >= 5;
    }
}
