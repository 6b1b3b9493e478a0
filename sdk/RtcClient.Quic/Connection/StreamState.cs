using RtcClient.Quic.Streams;

namespace RtcClient.Quic.Connection;

/// <summary>
/// Both halves of one stream inside the connection core (RFC 9000 section 3): the sending part with
/// its buffer, peer credit and reset state; the receiving part with reassembly, our credit and reset state.
/// </summary>
internal sealed class StreamState : IDisposable
{
    /// <summary>Creates the state for stream <paramref name="id"/> as seen by the client or server.</summary>
    public StreamState(long id, bool isClient, int sendBufferCapacity, long receiveLimit)
    {
        Id = id;
        IsLocal = ((id & 1) == 0) == isClient;
        IsBidirectional = (id & 2) == 0;
        if (IsBidirectional || IsLocal) Send = new SendBuffer(sendBufferCapacity);
        if (IsBidirectional || !IsLocal) Receive = new ReceiveBuffer(receiveLimit);
    }

    /// <summary>The stream ID.</summary>
    public long Id { get; }
    /// <summary>Opened by this endpoint.</summary>
    public bool IsLocal { get; }
    /// <summary>Bidirectional.</summary>
    public bool IsBidirectional { get; }

    /// <summary>The sending part, or null on a peer's unidirectional stream.</summary>
    public SendBuffer? Send { get; }
    /// <summary>The peer's MAX_STREAM_DATA limit for our sending.</summary>
    public long SendLimit;
    /// <summary>Offset at which we last reported STREAM_DATA_BLOCKED.</summary>
    public long BlockedReportedAt = -1;
    /// <summary>STREAM_DATA_BLOCKED waits to be sent.</summary>
    public bool BlockedPending;
    /// <summary>Our RESET_STREAM code once we reset the sending part.</summary>
    public long? ResetCode;
    /// <summary>The final size our RESET_STREAM carries (the highest offset sent).</summary>
    public long ResetFinalSize;
    /// <summary>RESET_STREAM waits to be sent.</summary>
    public bool ResetPending;
    /// <summary>Our RESET_STREAM was acknowledged.</summary>
    public bool ResetAcknowledged;
    /// <summary>The peer asked us to stop sending, with this code.</summary>
    public long? StopSendingReceived;

    /// <summary>The receiving part, or null on our unidirectional stream.</summary>
    public ReceiveBuffer? Receive { get; }
    /// <summary>The MAX_STREAM_DATA we advertised.</summary>
    public long ReceiveLimit;
    /// <summary>The receive window size we keep open.</summary>
    public long ReceiveWindow;
    /// <summary>MAX_STREAM_DATA waits to be sent.</summary>
    public bool MaxStreamDataPending;
    /// <summary>The peer reset the receiving part with this code.</summary>
    public long? ResetReceived;
    /// <summary>We asked the peer to stop sending, with this code.</summary>
    public long? StopSendingCode;
    /// <summary>STOP_SENDING waits to be sent.</summary>
    public bool StopSendingPending;
    /// <summary>The application read everything or gave up reading.</summary>
    public bool ReceiveDone;

    /// <summary>Queued in the connection's send round robin.</summary>
    public bool InSendQueue;
    /// <summary>Counted as closed for MAX_STREAMS already.</summary>
    public bool Released;

    /// <summary>Returns the buffers' pooled memory.</summary>
    public void Dispose()
    {
        Send?.Dispose();
        Receive?.Dispose();
    }

    /// <summary>The sending part reached a terminal state (all data acknowledged, or reset acknowledged).</summary>
    public bool SendDone => Send is null || (ResetCode is not null ? ResetAcknowledged : Send.IsAllAcknowledged);

    /// <summary>True when the sending part has frames waiting.</summary>
    public bool HasSendWork(long connectionCredit)
        => ResetPending || StopSendingPending || MaxStreamDataPending || BlockedPending
           || (Send is not null && ResetCode is null && Send.HasDataToSend(SendOffsetLimit(connectionCredit)));

    /// <summary>Highest offset new data may reach given the stream limit and <paramref name="connectionCredit"/> bytes of MAX_DATA left.</summary>
    public long SendOffsetLimit(long connectionCredit)
        => Send is null ? 0 : Math.Min(SendLimit, Send.SentOffset + connectionCredit);
}
