using RtcClient.Media.Streams;

namespace RtcClient.Media;

/// <summary>
/// The media pipeline's datagram sink over a leg's media session. The datagram size limit is asked of
/// the session only now and then (it changes only with the path MTU) and after a refused send: over
/// QUIC each question takes the connection's lock, which the receive loop holds while it works.
/// </summary>
internal sealed class SessionDatagramSink(IMediaSession session) : IDatagramSink
{
    private const int RefreshEvery = 64;
    private int _maxDatagramSize = -1;
    private int _uses;

    public int MaxDatagramSize
    {
        get
        {
            if (_maxDatagramSize < 0 || ++_uses >= RefreshEvery)
            {
                _uses = 0;
                _maxDatagramSize = session.MaxDatagramSize;
            }
            return _maxDatagramSize;
        }
    }

    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        try
        {
            if (session.TrySend(datagram))
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
