namespace Rtc;

/// <summary>How 'rtc call' and 'rtc answer' connect and what they play and record.</summary>
public sealed class EndpointOptions
{
    /// <summary>The server's base URI.</summary>
    public required Uri Server { get; init; }
    /// <summary>This endpoint's name.</summary>
    public required string Name { get; init; }
    /// <summary>Bearer token.</summary>
    public required string Token { get; init; }
    /// <summary>Pinned certificate SHA-256 (hex); null validates the chain and host name.</summary>
    public string? Pin { get; init; }
    /// <summary>WAV file to play (looped); null plays a tone.</summary>
    public string? Play { get; init; }
    /// <summary>The tone played when there is no WAV.</summary>
    public double ToneHz { get; init; } = 440;
    /// <summary>WAV file to record what is heard to.</summary>
    public string? Record { get; init; }
}
