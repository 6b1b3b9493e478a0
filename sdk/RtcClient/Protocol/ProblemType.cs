namespace RtcClient.Protocol;

/// <summary>The problem types of docs/protocol.md section 3.</summary>
public static class ProblemType
{
    private const string Prefix = "urn:ript:problem:";
    /// <summary>400.</summary>
    public const string Malformed = Prefix + "malformed";
    /// <summary>401.</summary>
    public const string Unauthenticated = Prefix + "unauthenticated";
    /// <summary>403.</summary>
    public const string Forbidden = Prefix + "forbidden";
    /// <summary>404.</summary>
    public const string NotFound = Prefix + "not-found";
    /// <summary>405.</summary>
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    /// <summary>409.</summary>
    public const string InvalidState = Prefix + "invalid-state";
    /// <summary>413.</summary>
    public const string TooLarge = Prefix + "too-large";
    /// <summary>415.</summary>
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    /// <summary>421: the call is now served by another instance; the problem's <c>target</c> says where (section 6.7).</summary>
    public const string Migrated = Prefix + "migrated";
    /// <summary>422.</summary>
    public const string Incompatible = Prefix + "incompatible";
    /// <summary>429.</summary>
    public const string Limit = Prefix + "limit";
    /// <summary>503.</summary>
    public const string Unavailable = Prefix + "unavailable";
    /// <summary>403 for a caller identity that fails verification.</summary>
    public const string IdentityInvalid = Prefix + "identity-invalid";
}
