using System.Text.Json;
using RtcClient.Protocol;
using RtcClient.Server.Store;
using RtcClient.Server.Tests.Endpoints;

namespace RtcClient.Server.Tests.Store;

public class InMemoryCallStoreTests
{
    private static CallRecord Record(string id, long version, string owner = "https://a.example", bool handoff = false) => new()
    {
        Id = id, Version = version, Owner = owner, Handoff = handoff, TrunkGroup = "default", From = "alice", To = "bob",
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Caller = Leg(id + "-caller", false), Callee = Leg(id + "-callee", true),
    };

    private static LegRecord Leg(string id, bool inbound) => new()
    {
        Id = id, ClientId = inbound ? "bob" : "alice", Inbound = inbound, Advertisement = TestServer.Opus, State = CallState.Answered,
        Directive = new Directive { Revision = 3, Hold = HoldState.Remote }, Revision = 3, Holds = inbound, AudioSsrc = 0xdeadbeef, VideoSsrc = 7,
        LastSeq = 9, LastEventType = CallEventType.Directive, LastEventJson = "{\"type\":\"directive\",\"seq\":9}",
    };

    [Test]
    public void WritesAreCompareAndSwapOnTheVersion()
    {
        var store = new InMemoryCallStore();
        Assert.Multiple(() =>
        {
            Assert.That(store.TrySave(Record("k1", 2)), Is.False, "a new call starts at version 1");
            Assert.That(store.TrySave(Record("k1", 1)), Is.True);
            Assert.That(store.TrySave(Record("k1", 1)), Is.False, "a second writer of version 1 loses");
            Assert.That(store.TrySave(Record("k1", 3)), Is.False, "versions cannot be skipped");
            Assert.That(store.TrySave(Record("k1", 2, owner: "https://b.example")), Is.True);
            Assert.That(store.Find("k1")!.Owner, Is.EqualTo("https://b.example"));
        });
    }

    [Test]
    public void ARecordComesBackWithAllItsStateThroughJson()
    {
        var store = new InMemoryCallStore();
        var record = Record("k1", 1) with { Identity = "eyJ...;info=<https://cert.example/c.pem>", EndedAt = DateTimeOffset.UnixEpoch };
        store.TrySave(record);
        var back = store.Find("k1")!;
        Assert.That(JsonSerializer.Serialize(back, CallStoreJsonContext.Default.CallRecord), Is.EqualTo(JsonSerializer.Serialize(record, CallStoreJsonContext.Default.CallRecord)));
        Assert.That(back, Is.Not.SameAs(record), "instances share data, not objects");
    }

    [Test]
    public void CallsAreFoundByLegAndHandoffsByTheirNewOwner()
    {
        var store = new InMemoryCallStore();
        store.TrySave(Record("k1", 1));
        store.TrySave(Record("k2", 1, owner: "https://b.example", handoff: true));
        Assert.Multiple(() =>
        {
            Assert.That(store.FindByLeg("k1-callee")!.Id, Is.EqualTo("k1"));
            Assert.That(store.FindByLeg("nope"), Is.Null);
            Assert.That(store.FindHandoffs("https://b.example").Select(r => r.Id).Single(), Is.EqualTo("k2"));
            Assert.That(store.FindHandoffs("https://a.example"), Is.Empty, "an owner's own calls are no handoffs");
        });
        store.TrySave(Record("k2", 2, owner: "https://b.example"));
        Assert.That(store.FindHandoffs("https://b.example"), Is.Empty, "taken over");
        store.Remove("k1");
        Assert.That((store.Find("k1"), store.FindByLeg("k1-caller"), store.Count), Is.EqualTo(((CallRecord?)null, (CallRecord?)null, 1)));
    }
}
