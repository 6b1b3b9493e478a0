namespace RtcClient.Signaling;

/// <summary>One event of a text/event-stream.</summary>
/// <param name="Type">The "event:" field ("message" when absent).</param>
/// <param name="Id">The "id:" field, or null.</param>
/// <param name="Data">The "data:" lines joined with newlines.</param>
public readonly record struct ServerSentEvent(string Type, string? Id, string Data);
