using System.Text.Json.Serialization;
using RtcClient.Protocol;

namespace RtcClient.Server.Store;

/// <summary>One leg of a <see cref="CallRecord"/>: its state, negotiation inputs and outputs, and its newest event.</summary>
public sealed record LegRecord
{
    /// <summary>Leg id (the last segment of its URI).</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>The client that owns the leg.</summary>
    [JsonPropertyName("clientId")] public required string ClientId { get; init; }
    /// <summary>True for the callee's leg.</summary>
    [JsonPropertyName("inbound")] public bool Inbound { get; init; }
    /// <summary>The advertisement in force.</summary>
    [JsonPropertyName("advertisement")] public required Advertisement Advertisement { get; init; }
    /// <summary>One of <see cref="CallState"/>.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    /// <summary>End reason once ended.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    /// <summary>The current directive.</summary>
    [JsonPropertyName("directive")] public Directive? Directive { get; init; }
    /// <summary>Revision of the newest directive (the next one is higher).</summary>
    [JsonPropertyName("revision")] public int Revision { get; init; }
    /// <summary>This leg's client asked for hold.</summary>
    [JsonPropertyName("holds")] public bool Holds { get; init; }
    /// <summary>SSRC the client sends audio with (fixed for the call, so forwarding needs no rewriting).</summary>
    [JsonPropertyName("audioSsrc")] public uint AudioSsrc { get; init; }
    /// <summary>SSRC the client sends video with.</summary>
    [JsonPropertyName("videoSsrc")] public uint VideoSsrc { get; init; }
    /// <summary>Seq of the leg's newest event: the next instance numbers on from here.</summary>
    [JsonPropertyName("lastSeq")] public long LastSeq { get; init; }
    /// <summary>Type of the newest event, replayed to a client that missed it.</summary>
    [JsonPropertyName("lastEventType")] public string? LastEventType { get; init; }
    /// <summary>The newest event as sent (it carries the leg's full state).</summary>
    [JsonPropertyName("lastEventJson")] public string? LastEventJson { get; init; }
}
