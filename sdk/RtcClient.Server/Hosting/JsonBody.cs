using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using RtcClient.Protocol;

namespace RtcClient.Server;

/// <summary>
/// Reads a JSON request body with the protocol's checks: application/json (415), the size limit (413),
/// well-formed JSON of the expected shape (400). Never throws for bad input.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, int maxBytes) where T : class
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, ProblemWriter.Result(415, ProblemType.UnsupportedMediaType, "Unsupported media type", "the body must be application/json"));
        if (context.Request.ContentLength > maxBytes)
            return (null, ProblemWriter.Result(413, ProblemType.TooLarge, "Body too large", $"at most {maxBytes} bytes"));

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                        return (null, ProblemWriter.Result(413, ProblemType.TooLarge, "Body too large", $"at most {maxBytes} bytes"));
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                int n = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (n == 0) break;
                length += n;
                if (length > maxBytes)
                    return (null, ProblemWriter.Result(413, ProblemType.TooLarge, "Body too large", $"at most {maxBytes} bytes"));
            }
            try
            {
                var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
                if (value is null) return (null, ProblemWriter.Result(400, ProblemType.Malformed, "Malformed body", "the body must be a JSON object"));
                return (value, null);
            }
            catch (JsonException e)
            {
                return (null, ProblemWriter.Result(400, ProblemType.Malformed, "Malformed body", e.Message));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
