namespace RtcClient.Server.Auth;

/// <summary>
/// Turns a bearer token into the client it identifies. How tokens are issued (OAuth client credentials,
/// API keys, JWTs) is the deployment's choice; the server only needs a stable client id.
/// </summary>
public interface IRiptTokenValidator
{
    /// <summary>Returns the client id for a valid token, or null for an invalid one.</summary>
    ValueTask<string?> ValidateAsync(string token, CancellationToken cancellationToken);
}
