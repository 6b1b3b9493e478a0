namespace RtcClient.Media.Dtmf;

/// <summary>A received DTMF digit.</summary>
/// <param name="Digit">The character (0-9, *, #, A-D).</param>
/// <param name="Duration">Duration the sender signalled.</param>
/// <param name="Timestamp">RTP timestamp of the event start.</param>
/// <param name="EndReceived">False when no end packet arrived and the duration is the last update seen.</param>
public readonly record struct DtmfDigit(char Digit, TimeSpan Duration, uint Timestamp, bool EndReceived);
