using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Connection ID management (RFC 9000 section 5.1).
internal sealed partial class QuicConnectionCore
{
    private readonly List<LocalConnectionId> _localCids = [];
    private readonly List<PeerConnectionId> _peerCids = [];
    private readonly List<long> _retireQueue = [];
    private long _nextLocalCidSequence = 1;
    private long _peerRetirePriorTo;
    private bool _peerCidChosen;
    private byte[]? _announcedResetToken;

    /// <summary>The Destination Connection ID of packets we send.</summary>
    public ConnectionId DestinationConnectionId => _peerCids[0].Id;

    /// <summary>Our connection IDs currently valid.</summary>
    public IEnumerable<ConnectionId> LocalConnectionIds => _localCids.Select(c => c.Id);

    /// <summary>Issues NEW_CONNECTION_ID up to the peer's active_connection_id_limit (capped by ours).</summary>
    private void IssueConnectionIds()
    {
        long limit = Math.Min(_peerParameters?.ActiveConnectionIdLimit ?? 2, _settings.ActiveConnectionIdLimit);
        while (_localCids.Count < limit)
        {
            var id = ConnectionId.Random(_random, _settings.LocalConnectionIdLength);
            var cid = new LocalConnectionId(_nextLocalCidSequence++, id, NewResetToken(id)) { Pending = true };
            _localCids.Add(cid);
            _events.OnConnectionIdIssued(cid.Id, cid.ResetToken);
        }
    }

    private void OnNewConnectionId(long sequence, long retirePriorTo, ReadOnlySpan<byte> id, ReadOnlySpan<byte> token)
    {
        if (_peerCids[0].Id.Length == 0)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "NEW_CONNECTION_ID while using a zero-length connection ID", 0x18);
        if (retirePriorTo > sequence)
            throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "retire_prior_to above the sequence number", 0x18);
        var cid = new ConnectionId(id);
        foreach (var existing in _peerCids)
        {
            if (existing.Sequence == sequence)
            {
                if (!existing.Id.Equals(cid)) throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "sequence number reused for another connection ID", 0x18);
                return;
            }
        }
        if (sequence < _peerRetirePriorTo)
        {
            // Already retired by an earlier retire_prior_to: retire it at once.
            _retireQueue.Add(sequence);
            return;
        }
        _peerCids.Add(new PeerConnectionId(sequence, cid, token.ToArray()));
        if (retirePriorTo > _peerRetirePriorTo)
        {
            _peerRetirePriorTo = retirePriorTo;
            for (int i = _peerCids.Count - 1; i >= 0; i--)
            {
                if (_peerCids[i].Sequence < retirePriorTo)
                {
                    _retireQueue.Add(_peerCids[i].Sequence);
                    _peerCids.RemoveAt(i);
                }
            }
            // Keep the lowest remaining sequence first: it is the one we use.
            _peerCids.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            AnnouncePeerResetToken();
        }
        if (_peerCids.Count > _settings.ActiveConnectionIdLimit)
            throw new QuicProtocolException(TransportErrorCode.ConnectionIdLimitError, "more connection IDs than active_connection_id_limit", 0x18);
    }

    private void OnRetireConnectionId(long sequence, ConnectionId packetDestination)
    {
        if (sequence >= _nextLocalCidSequence)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "RETIRE_CONNECTION_ID for a sequence never issued", 0x19);
        int index = _localCids.FindIndex(c => c.Sequence == sequence);
        if (index < 0) return;
        if (_localCids[index].Id.Equals(packetDestination))
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "RETIRE_CONNECTION_ID for the connection ID in use", 0x19);
        var retired = _localCids[index];
        _localCids.RemoveAt(index);
        _events.OnConnectionIdRetired(retired.Id);
        IssueConnectionIds();
    }

    /// <summary>Tells the owner when the token of the connection ID in use changed.</summary>
    private void AnnouncePeerResetToken()
    {
        var token = _peerCids.Count > 0 ? _peerCids[0].ResetToken : null;
        if (ReferenceEquals(token, _announcedResetToken)) return;
        var previous = _announcedResetToken;
        _announcedResetToken = token;
        _events.OnPeerResetTokenChanged(previous, token);
    }

    private bool MatchesStatelessReset(ReadOnlySpan<byte> datagram)
    {
        // RFC 9000 section 10.3.1: only the token of the connection ID in use (we never switch to another one
        // unless retire_prior_to forces it, and then the old one is retired).
        return _peerCids[0].ResetToken is { } token && Packets.StatelessReset.IsStatelessReset(datagram, token);
    }
}
