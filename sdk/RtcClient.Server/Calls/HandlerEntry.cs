using RtcClient.Protocol;
using RtcClient.Server.Events;

namespace RtcClient.Server.Calls;

/// <summary>A registered handler: where a client takes calls, with its event stream of incoming calls.</summary>
public sealed class HandlerEntry
{
    internal HandlerEntry(string id, string trunkGroup, string clientId, string name, Advertisement advertisement, int eventBuffer, long nowTicks)
    {
        Id = id;
        TrunkGroup = trunkGroup;
        ClientId = clientId;
        Name = name;
        Advertisement = advertisement;
        Events = new EventLog(eventBuffer);
        LastSeenTicks = nowTicks;
    }

    /// <summary>Handler id.</summary>
    public string Id { get; }
    /// <summary>Trunk group id.</summary>
    public string TrunkGroup { get; }
    /// <summary>The client that registered it.</summary>
    public string ClientId { get; }
    /// <summary>The address it takes calls at.</summary>
    public string Name { get; }
    /// <summary>What the device can send and receive.</summary>
    public Advertisement Advertisement { get; internal set; }
    /// <summary>True for an application in the server's own process (docs/protocol.md section 6.8).</summary>
    public bool InProcess { get; internal init; }
    /// <summary>Incoming-call events.</summary>
    public EventLog Events { get; }
    /// <summary>The handler's URI.</summary>
    public string Uri => $"{RiptPaths.TrunkGroup(TrunkGroup)}/handlers/{Id}";
    internal long LastSeenTicks;
    internal int OpenStreams;

    /// <summary>The handler document.</summary>
    public HandlerDocument ToDocument() => new() { Id = Id, Uri = Uri, Events = Uri + "/events", Name = Name, Advertisement = Advertisement };
}
