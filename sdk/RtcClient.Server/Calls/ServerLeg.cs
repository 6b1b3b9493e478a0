using System.Text.Json;
using RtcClient.Protocol;
using RtcClient.Server.Events;

namespace RtcClient.Server.Calls;

/// <summary>One client's side of a call: its own URI, state, directive and event stream.</summary>
public sealed class ServerLeg
{
    internal ServerLeg(ServerCall call, string id, string clientId, bool inbound, Advertisement advertisement, int eventBuffer, long nowTicks, uint audioSsrc, uint videoSsrc)
    {
        Call = call;
        Id = id;
        ClientId = clientId;
        Inbound = inbound;
        Advertisement = advertisement;
        Events = new EventLog(eventBuffer);
        LastSignalTicks = nowTicks;
        AudioSsrc = audioSsrc;
        VideoSsrc = videoSsrc;
    }

    /// <summary>The call this leg belongs to.</summary>
    public ServerCall Call { get; }
    /// <summary>Leg id (the last segment of its URI).</summary>
    public string Id { get; }
    /// <summary>The client that owns the leg.</summary>
    public string ClientId { get; }
    /// <summary>True for the callee's leg.</summary>
    public bool Inbound { get; }
    /// <summary>The advertisement in force for this leg.</summary>
    public Advertisement Advertisement { get; internal set; }
    /// <summary>Current state.</summary>
    public string State { get; internal set; } = CallState.Proceeding;
    /// <summary>End reason once ended.</summary>
    public string? Reason { get; internal set; }
    /// <summary>The current directive.</summary>
    public Directive? Directive { get; internal set; }
    /// <summary>The leg's event stream.</summary>
    public EventLog Events { get; }
    /// <summary>The other leg of the call.</summary>
    public ServerLeg Peer => ReferenceEquals(Call.Caller, this) ? Call.Callee : Call.Caller;
    /// <summary>The leg's URI.</summary>
    public string Uri => $"{RiptPaths.TrunkGroup(Call.TrunkGroup.Id)}/calls/{Id}";

    internal bool Holds;
    internal int Revision;
    internal readonly uint AudioSsrc;
    internal readonly uint VideoSsrc;
    internal long LastSignalTicks;
    internal long LastMediaTicks;
    internal int OpenStreams;
    internal bool MediaAttached;
    internal int ReleasedSlot;

    /// <summary>The call document as this leg's client sees it.</summary>
    public CallDocument ToDocument() => new()
    {
        Id = Id, Uri = Uri, Events = Uri + "/events", Media = Uri + "/media",
        Direction = Inbound ? "inbound" : "outbound", From = Call.From, To = Call.To,
        State = State, Reason = Reason, Seq = Events.LastSeq, Directive = Directive, Identity = Call.Identity,
        Verification = Call.Verification,
    };

    /// <summary>Appends a server event carrying the leg's full resulting state. Caller holds the call's lock.</summary>
    internal void Emit(string type, string? nonce = null, string? target = null)
    {
        var state = State;
        var reason = Reason;
        var directive = Directive;
        Events.Append(type, seq => JsonSerializer.Serialize(
            new CallEvent { Type = type, Seq = seq, State = state, Reason = reason, Directive = directive, Nonce = nonce, Target = target },
            RiptJsonContext.Default.CallEvent));
        if (state == CallState.Ended) Events.Complete();
    }
}
