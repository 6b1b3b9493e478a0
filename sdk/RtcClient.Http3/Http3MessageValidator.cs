namespace RtcClient.Http3;

/// <summary>The request/response/trailer field rules of RFC 9114 section 4.2-4.3 (and RFC 9220 for extended CONNECT); violations are stream errors H3_MESSAGE_ERROR.</summary>
internal static class Http3MessageValidator
{
    /// <summary>The pseudo-header fields of a request.</summary>
    public readonly record struct RequestHead(string Method, string? Scheme, string? Authority, string? Path, string? Protocol);

    public static RequestHead ValidateRequest(List<HeaderField> fields)
    {
        string? method = null, scheme = null, authority = null, path = null, protocol = null;
        bool regular = false;
        foreach (var f in fields)
        {
            if (f.Name.StartsWith(':'))
            {
                if (regular)
                    throw Error("pseudo-header after a regular field");
                switch (f.Name)
                {
                    case ":method": Set(ref method, f.Value); break;
                    case ":scheme": Set(ref scheme, f.Value); break;
                    case ":authority": Set(ref authority, f.Value); break;
                    case ":path": Set(ref path, f.Value); break;
                    case ":protocol": Set(ref protocol, f.Value); break;
                    default: throw Error($"unknown pseudo-header {f.Name}");
                }
            }
            else
            {
                regular = true;
                CheckRegular(f);
            }
        }

        if (method is null)
            throw Error("missing :method");
        if (method == "CONNECT" && protocol is null)
        {
            if (scheme is not null || path is not null || authority is null)
                throw Error("CONNECT carries only :method and :authority");
        }
        else
        {
            if (protocol is not null && method != "CONNECT")
                throw Error(":protocol outside CONNECT");
            if (scheme is null || string.IsNullOrEmpty(path))
                throw Error("missing :scheme or :path");
            if (protocol is not null && authority is null)
                throw Error("extended CONNECT without :authority");
        }

        return new RequestHead(method, scheme, authority, path, protocol);
    }

    public static int ValidateResponse(List<HeaderField> fields)
    {
        string? status = null;
        bool regular = false;
        foreach (var f in fields)
        {
            if (f.Name.StartsWith(':'))
            {
                if (regular || f.Name != ":status")
                    throw Error($"unexpected pseudo-header {f.Name} in a response");
                Set(ref status, f.Value);
            }
            else
            {
                regular = true;
                CheckRegular(f);
            }
        }

        if (status is null || status.Length != 3 || !int.TryParse(status, out int code) || code < 100)
            throw Error("missing or malformed :status");
        return code;
    }

    public static void ValidateTrailers(List<HeaderField> fields)
    {
        foreach (var f in fields)
        {
            if (f.Name.StartsWith(':'))
                throw Error("pseudo-header in trailers");
            CheckRegular(f);
        }
    }

    /// <summary>The content-length value, if present and valid; conflicting values are a message error.</summary>
    public static long? ContentLength(List<HeaderField> fields)
    {
        long? result = null;
        foreach (var f in fields)
        {
            if (f.Name != "content-length")
                continue;
            if (!long.TryParse(f.Value, System.Globalization.NumberStyles.None, null, out long v) || (result is not null && result != v))
                throw Error("malformed content-length");
            result = v;
        }

        return result;
    }

    private static void CheckRegular(in HeaderField f)
    {
        if (f.Name.Length == 0)
            throw Error("empty field name");
        foreach (char c in f.Name)
        {
            if (c is >= 'A' and <= 'Z' || c <= ' ' || c >= 0x7f || c == ':')
                throw Error($"invalid character in field name {f.Name}");
        }

        foreach (char c in f.Value)
        {
            if (c is '\0' or '\r' or '\n')
                throw Error($"invalid character in the value of {f.Name}");
        }

        if (f.Name is "connection" or "keep-alive" or "proxy-connection" or "transfer-encoding" or "upgrade" || (f.Name == "te" && f.Value != "trailers"))
            throw Error($"connection-specific field {f.Name}");
    }

    private static void Set(ref string? slot, string value)
    {
        if (slot is not null)
            throw Error("duplicate pseudo-header");
        slot = value;
    }

    private static Http3ProtocolException Error(string message) => new(Http3ErrorCode.MessageError, message, isStreamError: true);
}
