namespace RtcClient.Server.Applications;

/// <summary>
/// Handles one call routed to an in-process application (docs/protocol.md section 6.8). The call is ringing
/// when the handler starts: it answers or declines, uses the call's audio source and sink and DTMF like any
/// <see cref="Call"/>, and when it returns the call is hung up if still up. <paramref name="cancellationToken"/>
/// fires when the application or the server stops.
/// </summary>
public delegate Task ApplicationCallHandler(Call call, CancellationToken cancellationToken);
