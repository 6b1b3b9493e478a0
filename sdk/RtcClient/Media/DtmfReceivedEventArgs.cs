namespace RtcClient.Media;

/// <summary>A DTMF digit the other side sent as an RFC 4733 telephone event.</summary>
public sealed class DtmfReceivedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    public DtmfReceivedEventArgs(char digit, TimeSpan duration)
    {
        Digit = digit;
        Duration = duration;
    }

    /// <summary>0-9, *, #, A-D.</summary>
    public char Digit { get; }

    /// <summary>How long the key was pressed.</summary>
    public TimeSpan Duration { get; }
}
