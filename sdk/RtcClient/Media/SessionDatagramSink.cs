using RtcClient.Media.Streams;

namespace RtcClient.Media;

/// <summary>The media pipeline's datagram sink over a leg's media session.</summary>
internal sealed class SessionDatagramSink(IMediaSession session) : IDatagramSink
{
    public int MaxDatagramSize => session.MaxDatagramSize;

    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        try
        {
            return session.TrySend(datagram);
        }
        catch (ObjectDisposedException)
        {
            return false; // the session closed under a tick: a dropped datagram, as on any datagram path
        }
    }
}
