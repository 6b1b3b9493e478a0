namespace RtcClient;

// The media side of a call: opened when the call is answered, re-configured on every new directive,
// closed when the call ends. (Wired to the media pipeline in the media work.)
public sealed partial class Call
{
    /// <summary>Called under no lock after every status or directive change.</summary>
    private void OnMediaStateChanged(CallStatusChangedEventArgs change) => _ = change;

    /// <summary>Stops media when the call is disposed.</summary>
    private static Task StopMediaAsync() => Task.CompletedTask;
}
