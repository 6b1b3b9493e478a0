using Microsoft.Extensions.Logging;

namespace RtcClient;

// Following the server when it moves the call to another instance (docs/protocol.md section 6.7): the
// event stream resumes at the new URI with Last-Event-ID, then the media session moves there too.
public sealed partial class Call
{
    private const string CallPathPrefix = "/.well-known/ript/v1/tgs/";
    private const int MaxMovesWithoutEvents = 4;
    private int _migrations;

    /// <summary>How many times the server moved this call to another instance and this client followed.</summary>
    public int Migrations => Volatile.Read(ref _migrations);

    /// <summary>Where the leg is: its URI, event stream and media session (swapped whole when the call migrates).</summary>
    private sealed record LegUris(string Call, string Events, string Media);

    /// <summary>Points the call at <paramref name="target"/>, its URI on another instance; false (and why) when the target is unacceptable.</summary>
    private bool Retarget(string target, out string? why)
    {
        if (!IsAcceptableTarget(target, out why)) return false;
        lock (_gate)
        {
            if (target == _uris.Call) return true;
            _uris = new LegUris(target, target + "/events", target + "/media");
        }
        Interlocked.Increment(ref _migrations);
        _logger.LogInformation("call {Call}: migrated to {Target}", Id, target);
        return true;
    }

    /// <summary>
    /// The client sends its bearer token to the target, so it follows only a URI of the protocol's own
    /// shape, over https (or the scheme it already uses with its server), with no query, fragment or user info.
    /// The target's certificate is validated like the server's (pinned hashes, or the chain and host name).
    /// </summary>
    private bool IsAcceptableTarget(string target, out string? why)
    {
        why = null;
        if (!System.Uri.TryCreate(target, UriKind.Absolute, out var uri)) why = "it is not an absolute URI";
        else if (uri.Scheme != System.Uri.UriSchemeHttps && uri.Scheme != _client.Options.ServerUri.Scheme) why = $"its scheme '{uri.Scheme}' is not https";
        else if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) why = "it has a query, fragment or user info";
        else if (!uri.AbsolutePath.StartsWith(CallPathPrefix, StringComparison.Ordinal) || !uri.AbsolutePath.Contains("/calls/", StringComparison.Ordinal)
                 || uri.AbsolutePath.EndsWith('/') || target.Contains("..", StringComparison.Ordinal))
            why = "it is not a call URI of protocol version 1";
        return why is null;
    }

    /// <summary>The event stream at the call's new URI is open: the media session moves there too, and the old one closes.</summary>
    private void OnMigrated() => RequestMediaReconnect("the call migrated");
}
