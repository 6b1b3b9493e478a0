using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RtcClient.Protocol;

namespace RtcClient.Server.Auth;

/// <summary>
/// The "RiptBearer" authentication scheme: RFC 6750 bearer tokens checked by an
/// <see cref="IRiptTokenValidator"/>; a challenge is a 401 problem+json with WWW-Authenticate.
/// A standard ASP.NET Core handler, so the endpoints use ordinary [Authorize]/RequireAuthorization.
/// </summary>
public sealed class RiptBearerHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "RiptBearer";
    /// <summary>The claim carrying the client id.</summary>
    public const string ClientIdClaim = "ript_client";

    private readonly IRiptTokenValidator _validator;

    /// <summary>Created by the authentication system.</summary>
    public RiptBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IRiptTokenValidator validator)
        : base(options, logger, encoder) => _validator = validator;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        string token;
        if (string.IsNullOrEmpty(header))
        {
            // WebTransport's CONNECT carries no custom headers in browsers, so the media session may
            // carry the token as the access_token query parameter (RFC 6750 section 2.3); nothing else may.
            if (!IsMediaConnect(Request) || Request.Query["access_token"] is not { Count: 1 } query) return AuthenticateResult.NoResult();
            token = query[0] ?? string.Empty;
        }
        else
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("not a bearer token");
            token = header["Bearer ".Length..].Trim();
        }
        if (token.Length == 0 || token.Length > 4096) return AuthenticateResult.Fail("empty or oversized token");
        var client = await _validator.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false);
        if (client is null) return AuthenticateResult.Fail("invalid token");
        var identity = new ClaimsIdentity([new Claim(ClientIdClaim, client)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static bool IsMediaConnect(HttpRequest request)
        => HttpMethods.IsConnect(request.Method) && request.Path.Value?.EndsWith("/media", StringComparison.Ordinal) == true;

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, ProblemType.Unauthenticated,
            "Authentication required", "a valid bearer token is required");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, ProblemType.Forbidden, "Forbidden", null);
}
