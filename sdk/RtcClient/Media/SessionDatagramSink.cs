using RtcClient.Media.Streams;

namespace RtcClient.Media;

/// <summary>
/// The media pipeline's datagram sink over a leg's media session. The session can be swapped under
/// running streams (a reopened session, a migrated call): they keep their SSRCs and sequence numbers.
/// The datagram size limit is asked of the session only now and then (it changes only with the path
/// MTU), after a refused send and after a swap: over QUIC each question takes the connection's lock,
/// which the receive loop holds while it works.
/// </summary>
internal sealed class SessionDatagramSink(IMediaSession session) : IDatagramSink
{
    private const int RefreshEvery = 64;
    private volatile IMediaSession _session = session;
    private int _maxDatagramSize = -1;
    private int _uses;

    public IMediaSession Session
    {
        get => _session;
        set
        {
            _session = value;
            _maxDatagramSize = -1;
        }
    }

    public int MaxDatagramSize
    {
        get
        {
            if (_maxDatagramSize < 0 || ++_uses >= RefreshEvery)
            {
                _uses = 0;
                _maxDatagramSize = _session.MaxDatagramSize;
            }
            return _maxDatagramSize;
        }
    }

    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        try
        {
            if (_session.TrySend(datagram))
                return true;
        }
        catch (ObjectDisposedException)
        {
            // The session closed under a tick: a dropped datagram, as on any datagram path.
        }
        _maxDatagramSize = -1; // perhaps the limit fell: ask again next time
        return false;
    }
}
