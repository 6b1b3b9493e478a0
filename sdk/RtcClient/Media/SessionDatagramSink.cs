using RtcClient.Media.Streams;

namespace RtcClient.Media;

/// <summary>
/// The media pipeline's datagram sink over a leg's media session. The session can be swapped under
/// running streams (a reopened session, a migrated call): they keep their SSRCs and sequence numbers.
/// </summary>
internal sealed class SessionDatagramSink(IMediaSession session) : IDatagramSink
{
    private volatile IMediaSession _session = session;

    public IMediaSession Session { get => _session; set => _session = value; }

    public int MaxDatagramSize => _session.MaxDatagramSize;

    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        try
        {
            return _session.TrySend(datagram);
        }
        catch (ObjectDisposedException)
        {
            return false; // the session closed under a tick: a dropped datagram, as on any datagram path
        }
    }
}
