using System.Text.Json;
using RtcClient.Protocol;
using RtcClient.Server.Events;
using RtcClient.Server.Store;

namespace RtcClient.Server.Calls;

/// <summary>One client's side of a call: its own URI, state, directive and event stream.</summary>
public sealed class ServerLeg
{
    internal ServerLeg(ServerCall call, string id, string clientId, bool inbound, Advertisement advertisement, int eventBuffer, long nowTicks, uint audioSsrc, uint videoSsrc)
        : this(call, id, clientId, inbound, advertisement, new EventLog(eventBuffer), nowTicks, audioSsrc, videoSsrc)
    {
    }

    private ServerLeg(ServerCall call, string id, string clientId, bool inbound, Advertisement advertisement, EventLog events, long nowTicks, uint audioSsrc, uint videoSsrc)
    {
        Call = call;
        Id = id;
        ClientId = clientId;
        Inbound = inbound;
        Advertisement = advertisement;
        Events = events;
        LastSignalTicks = nowTicks;
        AudioSsrc = audioSsrc;
        VideoSsrc = videoSsrc;
    }

    /// <summary>Rebuilds a leg another instance served from its record; its events number on from the record's.</summary>
    internal static ServerLeg FromRecord(ServerCall call, LegRecord r, int eventBuffer, long nowTicks) =>
        new(call, r.Id, r.ClientId, r.Inbound, r.Advertisement, new EventLog(eventBuffer, r.LastSeq, r.LastEventType, r.LastEventJson), nowTicks, r.AudioSsrc, r.VideoSsrc)
        {
            State = r.State, Reason = r.Reason, Directive = r.Directive, Holds = r.Holds, Revision = r.Revision,
            LastMediaTicks = nowTicks, LastEventType = r.LastEventType, LastEventJson = r.LastEventJson,
        };

    /// <summary>The leg's state for the call store.</summary>
    internal LegRecord ToRecord() => new()
    {
        Id = Id, ClientId = ClientId, Inbound = Inbound, Advertisement = Advertisement, State = State, Reason = Reason,
        Directive = Directive, Revision = Revision, Holds = Holds, AudioSsrc = AudioSsrc, VideoSsrc = VideoSsrc,
        LastSeq = Events.LastSeq, LastEventType = LastEventType, LastEventJson = LastEventJson,
    };

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
    /// <summary>True when an application in the server's own process holds this leg (section 6.8).</summary>
    public bool InProcess { get; internal init; }

    internal bool Holds;
    internal int Revision;
    internal readonly uint AudioSsrc;
    internal readonly uint VideoSsrc;
    internal long LastSignalTicks;
    internal long LastMediaTicks;
    internal int OpenStreams;
    internal int ReleasedSlot;
    internal string? LastEventType;
    internal string? LastEventJson;
    /// <summary>Media that reached the relay a moment before it could be forwarded (created on first use).</summary>
    internal Media.PendingMedia? PendingMedia;

    /// <summary>The call document as this leg's client sees it.</summary>
    public CallDocument ToDocument() => new()
    {
        Id = Id, Uri = Uri, Events = Uri + "/events", Media = Uri + "/media",
        Direction = Inbound ? "inbound" : "outbound", From = Call.From, To = Call.To,
        State = State, Reason = Reason, Seq = Events.LastSeq, Directive = Directive, Identity = Call.Identity,
        Verification = Call.Verification,
    };

    /// <summary>Appends a server event carrying the leg's full resulting state. Caller holds the call's lock.</summary>
    internal void Emit(string type, string? nonce = null)
    {
        Events.Append(type, seq => Remember(type, BuildEvent(type, seq, nonce, null)));
        if (State == CallState.Ended) Events.Complete();
    }

    /// <summary>
    /// The leg's next event as it will be numbered, without sending it: migration stores it before the
    /// client can see it (a client that follows at once must find the call handed over). Caller holds the call's lock.
    /// </summary>
    internal (long Seq, string Json) PrepareMigrate(string target)
    {
        long seq = Events.LastSeq + 1;
        return (seq, Remember(CallEventType.Migrate, BuildEvent(CallEventType.Migrate, seq, null, target)));
    }

    /// <summary>Sends the prepared migrate event; it is the leg's last on this instance. Caller holds the call's lock.</summary>
    internal void EmitPrepared(string json)
    {
        Events.Append(CallEventType.Migrate, _ => json);
        Events.Complete();
    }

    private string BuildEvent(string type, long seq, string? nonce, string? target) => JsonSerializer.Serialize(
        new CallEvent { Type = type, Seq = seq, State = State, Reason = Reason, Directive = Directive, Nonce = nonce, Target = target },
        RiptJsonContext.Default.CallEvent);

    private string Remember(string type, string json)
    {
        LastEventType = type;
        LastEventJson = json;
        return json;
    }
}
