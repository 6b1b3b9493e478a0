using RtcClient.Protocol;
using RtcClient.Server.Calls;

namespace RtcClient.Server.Tests.Calls;

public class LegStateMachineTests
{
    private static CallEvent E(string type, string? reason = null) => new() { Type = type, Reason = reason };

    [TestCase(CallState.Proceeding, CallEventType.Alerting, CallState.Alerting)]
    [TestCase(CallState.Proceeding, CallEventType.Answered, CallState.Answered)]
    [TestCase(CallState.Alerting, CallEventType.Answered, CallState.Answered)]
    [TestCase(CallState.Alerting, CallEventType.Declined, CallState.Ended)]
    [TestCase(CallState.Answered, CallEventType.Hold, CallState.Held)]
    [TestCase(CallState.Held, CallEventType.Resume, CallState.Answered)]
    [TestCase(CallState.Answered, CallEventType.End, CallState.Ended)]
    [TestCase(CallState.Held, CallEventType.Ping, CallState.Held)]
    public void LegalCalleeEventsMoveTheLeg(string from, string type, string to)
    {
        var t = LegStateMachine.ApplyClientEvent(from, inbound: true, E(type));
        Assert.That(t.Allowed, Is.True, t.Error);
        Assert.That(t.State, Is.EqualTo(to));
    }

    [TestCase(CallState.Answered, CallEventType.Answered)]
    [TestCase(CallState.Ended, CallEventType.End)]
    [TestCase(CallState.Ended, CallEventType.Answered)]
    [TestCase(CallState.Proceeding, CallEventType.Hold)]
    [TestCase(CallState.Alerting, CallEventType.Resume)]
    [TestCase(CallState.Answered, CallEventType.Declined)]
    [TestCase(CallState.Answered, CallEventType.NoAnswer)]
    public void IllegalEventsAreRejectedAndLeaveTheState(string from, string type)
    {
        var t = LegStateMachine.ApplyClientEvent(from, inbound: true, E(type));
        Assert.That(t.Allowed, Is.False);
        Assert.That(t.State, Is.EqualTo(from));
        Assert.That(t.Error, Is.Not.Empty);
    }

    [Test]
    public void OnlyTheCalleeAnswers()
    {
        Assert.That(LegStateMachine.ApplyClientEvent(CallState.Alerting, inbound: false, E(CallEventType.Answered)).Allowed, Is.False);
    }

    [Test]
    public void EndCarriesItsReasonAndDefaultsToHangup()
    {
        Assert.That(LegStateMachine.ApplyClientEvent(CallState.Proceeding, false, E(CallEventType.End, EndReason.Cancelled)).Reason, Is.EqualTo(EndReason.Cancelled));
        Assert.That(LegStateMachine.ApplyClientEvent(CallState.Answered, false, E(CallEventType.End)).Reason, Is.EqualTo(EndReason.Hangup));
    }

    [Test]
    public void UnknownEventsAreIgnoredUnlessCritical()
    {
        var ignored = LegStateMachine.ApplyClientEvent(CallState.Answered, false, new CallEvent { Type = "teleport" });
        Assert.That((ignored.Allowed, ignored.State), Is.EqualTo((true, CallState.Answered)));
        var critical = LegStateMachine.ApplyClientEvent(CallState.Answered, false, new CallEvent { Type = "teleport", Critical = true });
        Assert.That((critical.State, critical.Reason), Is.EqualTo((CallState.Ended, EndReason.Unsupported)));
    }
}
