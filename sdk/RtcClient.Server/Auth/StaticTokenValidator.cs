namespace RtcClient.Server.Auth;

/// <summary>A fixed token → client id table, for tests, demos and small deployments.</summary>
public sealed class StaticTokenValidator : IRiptTokenValidator
{
    private readonly Dictionary<string, string> _clients;

    /// <summary>Creates the validator from token → client id pairs.</summary>
    public StaticTokenValidator(IEnumerable<KeyValuePair<string, string>> tokens) => _clients = new(tokens, StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<string?> ValidateAsync(string token, CancellationToken cancellationToken)
        => ValueTask.FromResult(_clients.TryGetValue(token, out var id) ? id : null);
}
