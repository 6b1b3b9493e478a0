using RtcClient.Quic.Streams;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Streams;

public class StreamLimitsTests
{
    [Test]
    public void Local_streams_open_within_the_peer_limit_then_report_blocked()
    {
        var limits = new StreamLimits(isServer: false, localMaxBidi: 10, localMaxUni: 10);
        limits.SetPeerInitialLimits(maxBidi: 2, maxUni: 1);
        Assert.That(limits.TryOpenLocalStream(true, out long a), Is.True);
        Assert.That(limits.TryOpenLocalStream(true, out long b), Is.True);
        Assert.That((a, b), Is.EqualTo((0L, 4L)));
        Assert.That(limits.TryOpenLocalStream(false, out long u), Is.True);
        Assert.That(u, Is.EqualTo(2));

        Assert.That(limits.TryGetStreamsBlocked(true, out _), Is.False, "no open attempt failed yet");
        Assert.That(limits.TryOpenLocalStream(true, out _), Is.False);
        Assert.That(limits.TryGetStreamsBlocked(true, out long at), Is.True);
        Assert.That(at, Is.EqualTo(2));
        Assert.That(limits.TryOpenLocalStream(true, out _), Is.False);
        Assert.That(limits.TryGetStreamsBlocked(true, out _), Is.False, "once per limit");

        Assert.That(limits.OnMaxStreamsReceived(true, 1), Is.False, "smaller MAX_STREAMS is ignored");
        Assert.That(limits.OnMaxStreamsReceived(true, 3), Is.True);
        Assert.That(limits.TryOpenLocalStream(true, out long c), Is.True);
        Assert.That(c, Is.EqualTo(8));
    }

    [Test]
    public void Server_opens_server_initiated_ids()
    {
        var limits = new StreamLimits(isServer: true, 0, 0);
        limits.SetPeerInitialLimits(1, 1);
        limits.TryOpenLocalStream(true, out long bidi);
        limits.TryOpenLocalStream(false, out long uni);
        Assert.That((bidi, uni), Is.EqualTo((1L, 3L)));
    }

    [Test]
    public void Peer_streams_beyond_our_limit_are_a_stream_limit_error_and_lower_ones_open_implicitly()
    {
        var limits = new StreamLimits(isServer: true, localMaxBidi: 3, localMaxUni: 1);
        Assert.That(limits.OnStreamReferenced(StreamId.Create(2, true, true)), Is.EqualTo(3), "streams 0, 4 and 8 open");
        Assert.That(limits.OnStreamReferenced(4), Is.Zero);
        var ex = Assert.Throws<QuicProtocolException>(() => limits.OnStreamReferenced(StreamId.Create(3, true, true)));
        Assert.That(ex!.Code, Is.EqualTo(TransportErrorCode.StreamLimitError));
        Assert.That(limits.OnStreamReferenced(2), Is.EqualTo(1));
        Assert.Throws<QuicProtocolException>(() => limits.OnStreamReferenced(6));
    }

    [Test]
    public void Our_limit_is_raised_once_half_the_window_of_peer_streams_closed()
    {
        var limits = new StreamLimits(isServer: true, localMaxBidi: 4, localMaxUni: 0);
        limits.OnStreamReferenced(StreamId.Create(3, true, true));
        limits.OnRemoteStreamClosed(true);
        Assert.That(limits.TryGetMaxStreamsUpdate(true, out _), Is.False);
        limits.OnRemoteStreamClosed(true);
        Assert.That(limits.TryGetMaxStreamsUpdate(true, out long max), Is.True);
        Assert.That(max, Is.EqualTo(6));
        Assert.That(limits.LocalMaxStreams(true), Is.EqualTo(6));
        Assert.DoesNotThrow(() => limits.OnStreamReferenced(StreamId.Create(5, true, true)));
        Assert.That(limits.TryGetMaxStreamsUpdate(false, out _), Is.False, "no uni streams allowed, none raised");
    }

    [Test]
    public void A_frame_for_one_of_our_streams_not_yet_opened_is_a_stream_state_error()
    {
        var limits = new StreamLimits(isServer: false, 10, 10);
        limits.SetPeerInitialLimits(5, 5);
        limits.TryOpenLocalStream(true, out long opened);
        Assert.That(limits.OnStreamReferenced(opened), Is.Zero);
        var ex = Assert.Throws<QuicProtocolException>(() => limits.OnStreamReferenced(StreamId.Create(1, clientInitiated: true, bidirectional: true)));
        Assert.That(ex!.Code, Is.EqualTo(TransportErrorCode.StreamStateError));
        Assert.That(Assert.Throws<QuicProtocolException>(() => limits.OnStreamReferenced(-1))!.Code, Is.EqualTo(TransportErrorCode.FrameEncodingError));
    }

    [Test]
    public void Counts_above_2_60_are_errors()
    {
        var limits = new StreamLimits(false, 1, 1);
        Assert.That(Assert.Throws<QuicProtocolException>(() => limits.OnMaxStreamsReceived(true, StreamId.MaxStreamCount + 1))!.Code,
            Is.EqualTo(TransportErrorCode.FrameEncodingError));
        Assert.That(Assert.Throws<QuicProtocolException>(() => limits.SetPeerInitialLimits(StreamId.MaxStreamCount + 1, 0))!.Code,
            Is.EqualTo(TransportErrorCode.TransportParameterError));
        Assert.That(Assert.Throws<QuicProtocolException>(() => StreamLimits.ValidateStreamsBlocked(false, StreamId.MaxStreamCount + 1))!.Code,
            Is.EqualTo(TransportErrorCode.FrameEncodingError));
        Assert.DoesNotThrow(() => limits.OnMaxStreamsReceived(true, StreamId.MaxStreamCount));
    }
}
