namespace Rtc;

/// <summary>What the demo call measured.</summary>
/// <param name="SetupTime">Dial to answered, as the caller saw it.</param>
/// <param name="MediaTime">Dial to media running on both sides.</param>
/// <param name="AliceToBob">What bob heard from alice.</param>
/// <param name="BobToAlice">What alice heard from bob.</param>
/// <param name="EndReason">Why bob's leg ended.</param>
public sealed record DemoResult(TimeSpan SetupTime, TimeSpan MediaTime, DemoDirection AliceToBob, DemoDirection BobToAlice, string? EndReason);

/// <summary>One direction of the demo call.</summary>
/// <param name="From">Sender.</param>
/// <param name="To">Receiver.</param>
/// <param name="SentHz">The tone sent.</param>
/// <param name="DetectedHz">The dominant frequency of the receiver's recording (Goertzel), null if silent.</param>
/// <param name="RecordingPath">The receiver's WAV file.</param>
/// <param name="Sender">Sender statistics just before hang-up.</param>
/// <param name="Receiver">Receiver statistics just before hang-up.</param>
public sealed record DemoDirection(string From, string To, double SentHz, double? DetectedHz, string RecordingPath, SideStats Sender, SideStats Receiver)
{
    /// <summary>True when the receiver heard the sent tone (within 10 Hz).</summary>
    public bool Heard => DetectedHz is { } hz && Math.Abs(hz - SentHz) <= 10;
}
