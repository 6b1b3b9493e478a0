namespace RtcClient.SFrame;

/// <summary>Kind of change a key provider reports.</summary>
public enum SFrameKeyChange
{
    /// <summary>Keys became available (new participant, new epoch).</summary>
    Added,

    /// <summary>
    /// Keys were withdrawn (participant removed, epoch retired) or their base key replaced; users
    /// drop every cached key derived for a matching KID.
    /// </summary>
    Removed,

    /// <summary>The KID the local sender encrypts with changed.</summary>
    SendKeyChanged,
}
