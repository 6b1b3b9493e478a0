using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RtcClient.Protocol;

namespace RtcClient.Server;

/// <summary>Writes RFC 9457 problem+json responses (docs/protocol.md section 3).</summary>
public static class ProblemWriter
{
    /// <summary>Writes a problem with the request path as its instance.</summary>
    public static Task WriteAsync(HttpContext context, int status, string type, string title, string? detail)
        => WriteAsync(context, new Problem { Type = type, Title = title, Status = status, Detail = detail });

    /// <summary>
    /// Writes <paramref name="problem"/> with the request path as its instance (extension members such as
    /// <c>target</c> of a 421 or <c>identityError</c> of a 403 <c>identity-invalid</c> go out as set).
    /// </summary>
    public static async Task WriteAsync(HttpContext context, Problem problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = problem.Status;
        context.Response.ContentType = Problem.MediaType;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "1";
        await JsonSerializer.SerializeAsync(context.Response.Body, problem with { Instance = context.Request.Path.Value },
            RiptJsonContext.Default.Problem, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An endpoint result that writes a problem; <paramref name="target"/> is the call's new URI for a 421 <c>migrated</c>.</summary>
    public static IResult Result(int status, string type, string title, string? detail = null, string? target = null)
        => new ProblemResult(new Problem { Type = type, Title = title, Status = status, Detail = detail, Target = target });

    /// <summary>403 <c>identity-invalid</c> with the RFC 8224 SIP code of the failure in <c>identityError</c> (docs/protocol.md section 9).</summary>
    public static IResult IdentityInvalid(int sipCode, string? detail)
        => new ProblemResult(new Problem { Type = ProblemType.IdentityInvalid, Title = "Caller identity not accepted", Status = 403, Detail = detail, IdentityError = sipCode });

    private sealed class ProblemResult(Problem problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, problem);
    }
}
