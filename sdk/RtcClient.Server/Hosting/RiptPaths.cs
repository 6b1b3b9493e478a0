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
}
