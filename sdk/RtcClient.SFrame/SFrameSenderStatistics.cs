namespace RtcClient.SFrame;

/// <summary>Counters of an <see cref="SFrameSender"/> at one point in time.</summary>
/// <param name="FramesEncrypted">Frames protected and handed on.</param>
/// <param name="KeyMissing">Frames dropped because no send key was available.</param>
/// <param name="CounterExhausted">Frames refused because the send key's counters were used up.</param>
public readonly record struct SFrameSenderStatistics(long FramesEncrypted, long KeyMissing, long CounterExhausted);
