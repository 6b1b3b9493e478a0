using RtcClient.Quic.Streams;

namespace RtcClient.Quic.Tests.Streams;

public class StreamIdTests
{
    // RFC 9000 section 2.1, table 1.
    [TestCase(0L, true, true)]
    [TestCase(1L, false, true)]
    [TestCase(2L, true, false)]
    [TestCase(3L, false, false)]
    public void Low_bits_encode_initiator_and_direction(long id, bool client, bool bidi)
    {
        Assert.That(StreamId.IsClientInitiated(id), Is.EqualTo(client));
        Assert.That(StreamId.IsServerInitiated(id), Is.EqualTo(!client));
        Assert.That(StreamId.IsBidirectional(id), Is.EqualTo(bidi));
        Assert.That(StreamId.IsUnidirectional(id), Is.EqualTo(!bidi));
        Assert.That(StreamId.TypeOf(id), Is.EqualTo(bidi ? QuicStreamType.Bidirectional : QuicStreamType.Unidirectional));
    }

    [Test]
    public void Index_round_trips()
    {
        foreach (long index in new[] { 0L, 1, 7, 1000, StreamId.MaxStreamCount - 1 })
        {
            foreach (bool client in new[] { true, false })
            {
                foreach (bool bidi in new[] { true, false })
                {
                    long id = StreamId.Create(index, client, bidi);
                    Assert.That(StreamId.IndexOf(id), Is.EqualTo(index));
                    Assert.That(StreamId.IsClientInitiated(id), Is.EqualTo(client));
                    Assert.That(StreamId.IsBidirectional(id), Is.EqualTo(bidi));
                    Assert.That(id, Is.LessThanOrEqualTo(StreamId.MaxValue));
                }
            }
        }
        Assert.That(StreamId.Create(2, clientInitiated: false, bidirectional: false), Is.EqualTo(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamId.Create(StreamId.MaxStreamCount, true, true));
    }

    [Test]
    public void Send_and_receive_permissions_follow_direction_and_role()
    {
        // Client-initiated unidirectional stream 2: the client sends, the server receives.
        Assert.That(StreamId.CanSend(2, isServer: false), Is.True);
        Assert.That(StreamId.CanReceive(2, isServer: false), Is.False);
        Assert.That(StreamId.CanSend(2, isServer: true), Is.False);
        Assert.That(StreamId.CanReceive(2, isServer: true), Is.True);
        Assert.That(StreamId.IsLocallyInitiated(1, isServer: true), Is.True);
        Assert.That(StreamId.CanSend(0, isServer: true) && StreamId.CanReceive(0, isServer: true), Is.True);
    }
}
