using RtcClient.Protocol;

namespace RtcClient.Signaling;

/// <summary>
/// The protocol's requests a <see cref="CallClient"/> and its calls make (docs/protocol.md sections 4 and 6):
/// over HTTP to a server (<see cref="SignalingChannel"/>), or straight into a server in the same process
/// (an in-process application, docs/protocol.md section 6.8). Failures are <see cref="RtcException"/>s
/// carrying the server's problem.
/// </summary>
internal interface ICallSignaling : IDisposable
{
    /// <summary>Timeout of each request.</summary>
    TimeSpan RequestTimeout { get; }

    /// <summary>Picks the trunk group (<paramref name="trunkGroup"/>, or the first offered) and registers a handler in it.</summary>
    Task<(TrunkGroupDocument TrunkGroup, HandlerDocument Handler)> RegisterAsync(string? trunkGroup, HandlerRegistration registration, CancellationToken cancellationToken);

    /// <summary>Replaces a handler's advertisement.</summary>
    Task<HandlerDocument> UpdateHandlerAsync(string handlerUri, HandlerRegistration registration, CancellationToken cancellationToken);

    /// <summary>Unregisters a handler.</summary>
    Task DeleteHandlerAsync(string handlerUri, CancellationToken cancellationToken);

    /// <summary>Places a call; returns the caller leg's document.</summary>
    Task<CallDocument> PlaceCallAsync(string callsUri, PlaceCallRequest request, CancellationToken cancellationToken);

    /// <summary>Reads a call leg's document.</summary>
    Task<CallDocument> GetCallAsync(string callUri, CancellationToken cancellationToken);

    /// <summary>Posts one event on a call leg; returns the resulting document.</summary>
    Task<CallDocument> PostEventAsync(string callUri, CallEvent e, CancellationToken cancellationToken);

    /// <summary>
    /// Reads an event stream (a leg's or a handler's), resuming after <paramref name="lastEventId"/> and
    /// reconnecting when it breaks, until an event that <paramref name="isFinal"/> accepts or cancellation.
    /// Throws <see cref="RtcException"/> when the stream is refused or cannot be restored for
    /// <paramref name="giveUpAfter"/>. <paramref name="connected"/> runs each time the stream is (re)opened.
    /// </summary>
    IAsyncEnumerable<ServerSentEvent> EventsAsync(string uri, Func<ServerSentEvent, bool> isFinal, TimeSpan giveUpAfter,
        string? lastEventId, Action? connected, CancellationToken cancellationToken);
}
