namespace RtcClient.Media.Codecs;

/// <summary>Static facts about an audio codec as used on the wire.</summary>
/// <param name="Name">Media type subtype as in the RTP registry: "PCMU", "PCMA", "opus", "telephone-event", "CN".</param>
/// <param name="PayloadType">RTP payload type (static for PCMU 0, PCMA 8, CN 13; agreed per call otherwise).</param>
/// <param name="ClockRate">RTP timestamp clock rate in Hz (48000 for Opus per RFC 7587).</param>
/// <param name="SampleRate">PCM sample rate the encoder takes and the decoder produces.</param>
/// <param name="Channels">PCM channels.</param>
public readonly record struct AudioCodecInfo(string Name, byte PayloadType, int ClockRate, int SampleRate, int Channels);
