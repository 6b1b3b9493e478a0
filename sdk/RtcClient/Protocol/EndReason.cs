namespace RtcClient.Protocol;

/// <summary>Why a leg ended (docs/protocol.md section 6.3).</summary>
public static class EndReason
{
    /// <summary>Normal hang-up.</summary>
    public const string Hangup = "hangup";
    /// <summary>The callee declined.</summary>
    public const string Declined = "declined";
    /// <summary>Nobody answered in time.</summary>
    public const string NoAnswer = "noanswer";
    /// <summary>The callee is busy.</summary>
    public const string Busy = "busy";
    /// <summary>Routing failed or the far end vanished.</summary>
    public const string Failed = "failed";
    /// <summary>The caller hung up before answer.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>The leg's client lost its signaling channel.</summary>
    public const string SignalingTimeout = "signaling-timeout";
    /// <summary>No media arrived for too long.</summary>
    public const string MediaTimeout = "media-timeout";
    /// <summary>Something critical was not understood.</summary>
    public const string Unsupported = "unsupported";
    /// <summary>The call had to leave its server instance and could not (a leg held by an application in that instance's process).</summary>
    public const string MigratedAway = "migrated-away";
    /// <summary>Client only: the server moved the call (migrate) and the client could not follow to the target.</summary>
    public const string MigrationFailed = "migration-failed";
}
