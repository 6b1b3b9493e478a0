using RtcClient.Quic.Streams;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Streams;

public class FlowControllerTests
{
    [Test]
    public void Send_credit_grows_only_with_larger_limits()
    {
        var fc = new SendFlowController(1000);
        fc.Consume(600);
        Assert.That(fc.Available, Is.EqualTo(400));
        Assert.That(fc.OnMaxDataReceived(900), Is.False, "smaller MAX_DATA is ignored");
        Assert.That(fc.OnMaxDataReceived(1500), Is.True);
        Assert.That(fc.Available, Is.EqualTo(900));
        Assert.Throws<InvalidOperationException>(() => fc.Consume(901));
    }

    [Test]
    public void Blocked_is_reported_once_per_limit_at_that_limit_and_again_if_lost()
    {
        var fc = new SendFlowController(1000);
        Assert.That(fc.TryGetBlocked(out _), Is.False, "not blocked yet");
        fc.Consume(1000);
        Assert.That(fc.TryGetBlocked(out long at), Is.True);
        Assert.That(at, Is.EqualTo(1000));
        Assert.That(fc.TryGetBlocked(out _), Is.False, "once per limit");
        fc.OnBlockedLost(1000);
        Assert.That(fc.TryGetBlocked(out at), Is.True);
        fc.OnMaxDataReceived(2000);
        fc.OnBlockedLost(1000);
        Assert.That(fc.TryGetBlocked(out _), Is.False, "no longer blocked");
        fc.Consume(1000);
        Assert.That(fc.TryGetBlocked(out at), Is.True);
        Assert.That(at, Is.EqualTo(2000));
    }

    [Test]
    public void Receiving_past_the_limit_is_a_flow_control_error()
    {
        var fc = new ReceiveFlowController(1000, 4000, isConnectionLevel: true);
        fc.OnDataReceived(1000);
        var ex = Assert.Throws<QuicProtocolException>(() => fc.OnDataReceived(1));
        Assert.That(ex!.Code, Is.EqualTo(TransportErrorCode.FlowControlError));
    }

    [Test]
    public void An_update_is_due_after_half_the_window_is_consumed()
    {
        var fc = new ReceiveFlowController(1000, 1000, isConnectionLevel: false);
        fc.OnDataReceived(1000);
        fc.OnDataConsumed(499);
        Assert.That(fc.TryGetUpdate(0, 100_000, out _), Is.False);
        fc.OnDataConsumed(1);
        Assert.That(fc.TryGetUpdate(0, 100_000, out long limit), Is.True);
        Assert.That(limit, Is.EqualTo(1500));
        Assert.That(fc.Limit, Is.EqualTo(1500));
        Assert.That(fc.TryGetUpdate(0, 100_000, out _), Is.False, "nothing new consumed");
        Assert.DoesNotThrow(() => fc.OnDataReceived(500));
    }

    [Test]
    public void Window_doubles_when_updates_come_within_two_rtts_up_to_the_maximum()
    {
        var fc = new ReceiveFlowController(1000, 3000, isConnectionLevel: true);
        long srtt = 10_000;
        fc.OnDataReceived(1000);
        fc.OnDataConsumed(1000);
        Assert.That(fc.TryGetUpdate(0, srtt, out long l1), Is.True);
        Assert.That(l1, Is.EqualTo(2000), "first update: no history, same window");

        fc.OnDataReceived(1000);
        fc.OnDataConsumed(1000);
        Assert.That(fc.TryGetUpdate(5_000, srtt, out long l2), Is.True);
        Assert.That(fc.Window, Is.EqualTo(2000));
        Assert.That(l2, Is.EqualTo(4000));

        fc.OnDataReceived(2000);
        fc.OnDataConsumed(2000);
        Assert.That(fc.TryGetUpdate(10_000, srtt, out long l3), Is.True);
        Assert.That(fc.Window, Is.EqualTo(3000), "capped");
        Assert.That(l3, Is.EqualTo(7000));

        // A slow reader: updates far apart keep the window.
        var slow = new ReceiveFlowController(1000, 8000, isConnectionLevel: true);
        slow.OnDataReceived(1000);
        slow.OnDataConsumed(1000);
        slow.TryGetUpdate(0, srtt, out _);
        slow.OnDataReceived(1000);
        slow.OnDataConsumed(1000);
        slow.TryGetUpdate(1_000_000, srtt, out long ls);
        Assert.That(slow.Window, Is.EqualTo(1000));
        Assert.That(ls, Is.EqualTo(3000));
    }
}
