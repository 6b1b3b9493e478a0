namespace RtcClient.Protocol;

/// <summary>The <c>hold</c> member of a directive: who holds the call.</summary>
public static class HoldState
{
    /// <summary>Nobody holds: media flows both ways.</summary>
    public const string None = "none";
    /// <summary>This client holds: it sends nothing.</summary>
    public const string Local = "local";
    /// <summary>The other side holds: this client receives nothing and should not send.</summary>
    public const string Remote = "remote";
    /// <summary>Both sides hold.</summary>
    public const string Both = "both";
}
