using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RtcClient.Protocol;

namespace RtcClient.Server;

/// <summary>Writes RFC 9457 problem+json responses (docs/protocol.md section 3).</summary>
public static class ProblemWriter
{
    /// <summary>Writes a problem with the request path as its instance.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string type, string title, string? detail)
        => await WriteAsync(context, status, type, title, detail, target: null).ConfigureAwait(false);

    /// <summary>Writes a problem; <paramref name="target"/> is the call's new URI for a 421 <c>migrated</c>.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string type, string title, string? detail, string? target)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = Problem.MediaType;
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "1";
        var problem = new Problem { Type = type, Title = title, Status = status, Detail = detail, Instance = context.Request.Path.Value, Target = target };
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, RiptJsonContext.Default.Problem, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An endpoint result that writes a problem.</summary>
    public static IResult Result(int status, string type, string title, string? detail = null, string? target = null) => new ProblemResult(status, type, title, detail, target);

    private sealed class ProblemResult(int status, string type, string title, string? detail, string? target) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, type, title, detail, target);
    }
}
