namespace RtcClient.Media.Packetization;

/// <summary>Counters of an <see cref="H264FrameAssembler"/>.</summary>
/// <param name="FramesCompleted">Access units delivered.</param>
/// <param name="FramesDropped">Frames dropped as incomplete, corrupt, or undecodable while waiting for a key frame.</param>
/// <param name="LostPackets">Sequence numbers given up on.</param>
/// <param name="DiscardedPackets">Packets dropped as duplicate, late, oversize or malformed.</param>
/// <param name="OversizeFrames">Frames (for example a never-ending FU-A) that hit the size limit.</param>
/// <param name="KeyFrameRequests">Times the assembler started asking for a key frame.</param>
public readonly record struct H264AssemblerStatistics(long FramesCompleted, long FramesDropped, long LostPackets,
    long DiscardedPackets, long OversizeFrames, long KeyFrameRequests);
