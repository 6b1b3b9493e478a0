using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RtcClient.Protocol;

namespace RtcClient.Server;

/// <summary>Writes RFC 9457 problem+json responses (docs/protocol.md section 3).</summary>
public static class ProblemWriter
{
    /// <summary>Writes a problem with the request path as its instance.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string type, string title, string? detail, int? identityError = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = Problem.MediaType;
        var problem = new Problem { Type = type, Title = title, Status = status, Detail = detail, Instance = context.Request.Path.Value, IdentityError = identityError };
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, RiptJsonContext.Default.Problem, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An endpoint result that writes a problem.</summary>
    public static IResult Result(int status, string type, string title, string? detail = null) => new ProblemResult(status, type, title, detail, null);

    /// <summary>403 <c>identity-invalid</c> with the RFC 8224 SIP code of the failure in <c>identityError</c> (docs/protocol.md section 9).</summary>
    public static IResult IdentityInvalid(int sipCode, string? detail) => new ProblemResult(403, ProblemType.IdentityInvalid, "Caller identity not accepted", detail, sipCode);

    private sealed class ProblemResult(int status, string type, string title, string? detail, int? identityError) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, type, title, detail, identityError);
    }
}
