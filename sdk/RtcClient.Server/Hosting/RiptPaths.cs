namespace RtcClient.Server;

/// <summary>The URI layout of the server (docs/protocol.md section 4).</summary>
public static class RiptPaths
{
    /// <summary>Discovery.</summary>
    public const string WellKnown = "/.well-known/ript";
    /// <summary>Version 1 root.</summary>
    public const string V1 = WellKnown + "/v1";
    /// <summary>Trunk group list.</summary>
    public const string ProviderTrunkGroups = V1 + "/providertgs";

    /// <summary>A trunk group's URI.</summary>
    public static string TrunkGroup(string id) => $"{V1}/tgs/{id}";

    /// <summary>
    /// Splits a URI (absolute, or a path) of this layout into trunk group, collection ("calls" or "handlers"),
    /// id (null for the collection itself) and the rest ("events", "media" or empty).
    /// </summary>
    internal static bool TryParse(string uri, out string trunkGroup, out string collection, out string? id, out string rest)
    {
        trunkGroup = collection = rest = string.Empty;
        id = null;
        var path = System.Uri.TryCreate(uri, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : uri;
        if (!path.StartsWith(V1 + "/tgs/", StringComparison.Ordinal)) return false;
        var parts = path[(V1.Length + 5)..].Split('/');
        if (parts.Length < 2 || parts.Length > 4 || parts[0].Length == 0 || parts[1] is not ("calls" or "handlers")) return false;
        trunkGroup = parts[0];
        collection = parts[1];
        id = parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null;
        rest = parts.Length > 3 ? parts[3] : string.Empty;
        return true;
    }
}
