namespace RtcClient.Media.Jitter;

/// <summary>Counters of an <see cref="AudioJitterBuffer"/>; samples are per channel.</summary>
/// <param name="PacketsInserted">Packets accepted into the buffer.</param>
/// <param name="Duplicates">Duplicates dropped.</param>
/// <param name="LatePackets">Packets dropped because their playout time had passed.</param>
/// <param name="Discarded">Packets dropped as oversize, unconfirmed discontinuity, or pushed out by overflow.</param>
/// <param name="Resyncs">Restarts on a new timeline (SSRC change, confirmed timestamp or sequence jump).</param>
/// <param name="LostFrames">Frames whose packet never arrived in time (skipped at playout).</param>
/// <param name="DecodedSamples">Samples decoded from their own packets.</param>
/// <param name="ConcealedSamples">Samples produced by concealment or FEC for missing frames.</param>
/// <param name="RecoveredSamples">Part of <paramref name="ConcealedSamples"/> recovered from the next packet's FEC.</param>
/// <param name="InsertedSamples">Samples inserted to grow the delay.</param>
/// <param name="RemovedSamples">Samples dropped to shrink the delay.</param>
/// <param name="ComfortNoiseSamples">Samples of comfort noise/silence while the sender was silent.</param>
/// <param name="CurrentDelay">Playout delay beyond the fastest recent packet.</param>
/// <param name="TargetDelay">Delay the buffer steers to.</param>
/// <param name="Jitter">RFC 3550 interarrival jitter.</param>
public readonly record struct JitterBufferStatistics(long PacketsInserted, long Duplicates, long LatePackets, long Discarded,
    long Resyncs, long LostFrames, long DecodedSamples, long ConcealedSamples, long RecoveredSamples, long InsertedSamples,
    long RemovedSamples, long ComfortNoiseSamples, TimeSpan CurrentDelay, TimeSpan TargetDelay, TimeSpan Jitter);
