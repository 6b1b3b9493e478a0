using System.Text.Json;
using RtcClient.Protocol;
using RtcClient.Server.Negotiation;

namespace RtcClient.Server.Tests.Negotiation;

public class DirectiveNegotiatorTests
{
    private static readonly string[] OpusWithEventsAndNoise = ["opus", "telephone-event", "CN"];
    private static readonly CallMediaSetup Setup = new((1111, 1112), (2221, 2222), false, false, 1, 1);

    private static CodecCapability C(string codec) => new() { Codec = codec };

    private static Advertisement OpusAndG711(int maxBitrate = 64000, bool fec = true) => new()
    {
        Audio = new MediaCapabilities
        {
            Send = [new() { Codec = "opus", MaxBitrate = maxBitrate, Ptime = [20, 40], Channels = 1, Fec = fec, Dtx = false }, C("PCMU"), C("PCMA"), C("telephone-event"), C("CN")],
            Receive = [new() { Codec = "opus", MaxBitrate = maxBitrate, Ptime = [20, 40], Channels = 1, Fec = fec }, C("PCMU"), C("PCMA"), C("telephone-event"), C("CN")],
        },
    };

    private static Advertisement G711Only(string first = "PCMU") => new()
    {
        Audio = new MediaCapabilities
        {
            Send = [C(first), C(first == "PCMU" ? "PCMA" : "PCMU"), C("telephone-event")],
            Receive = [C(first), C(first == "PCMU" ? "PCMA" : "PCMU"), C("telephone-event")],
        },
    };

    [Test]
    public void OpusIsChosenWhenBothAdvertiseIt()
    {
        var r = DirectiveNegotiator.Negotiate(OpusAndG711(64000), OpusAndG711(24000), Setup);
        Assert.That(r.Succeeded, Is.True);
        var up = r.Caller!.Send[0];
        Assert.Multiple(() =>
        {
            Assert.That(up.Codec, Is.EqualTo("opus"));
            Assert.That(up.ClockRate, Is.EqualTo(48000));
            Assert.That(up.PayloadType, Is.EqualTo(111));
            Assert.That(up.Bitrate, Is.EqualTo(24000), "clamped to the smaller maximum");
            Assert.That(up.Fec, Is.True);
            Assert.That(up.Ptime, Is.EqualTo(20));
            Assert.That(up.Ssrc, Is.EqualTo(1111u));
            Assert.That(r.Callee!.Receive[0].Ssrc, Is.EqualTo(1111u), "the callee receives the caller's SSRC unchanged");
            Assert.That(r.Caller.Send.Select(f => f.Codec), Is.EqualTo(OpusWithEventsAndNoise));
            Assert.That(r.Caller.Send[1].ClockRate, Is.EqualTo(48000), "telephone-event follows the audio clock");
        });
    }

    [Test]
    public void G711IsChosenWhenOneSideOnlyHasG711()
    {
        var r = DirectiveNegotiator.Negotiate(OpusAndG711(), G711Only(), Setup);
        Assert.That(r.Succeeded, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(r.Caller!.Send[0].Codec, Is.EqualTo("PCMU"));
            Assert.That(r.Caller.Receive[0].Codec, Is.EqualTo("PCMU"));
            Assert.That(r.Callee!.Send[0].Codec, Is.EqualTo("PCMU"));
            Assert.That(r.Caller.Send[0].ClockRate, Is.EqualTo(8000));
            Assert.That(r.Caller.Send.Any(f => f.Codec == "CN"), Is.False, "CN only when both sides list it");
        });
    }

    [Test]
    public void TheReceiversPreferenceWinsPerDirection()
    {
        var r = DirectiveNegotiator.Negotiate(G711Only("PCMA"), G711Only("PCMU"), Setup);
        Assert.Multiple(() =>
        {
            Assert.That(r.Caller!.Send[0].Codec, Is.EqualTo("PCMU"), "callee receives its first choice");
            Assert.That(r.Callee!.Send[0].Codec, Is.EqualTo("PCMA"), "caller receives its first choice");
        });
    }

    [Test]
    public void NoCommonAudioCodecIsIncompatible()
    {
        var opusOnly = new Advertisement { Audio = new MediaCapabilities { Send = [C("opus")], Receive = [C("opus")] } };
        var r = DirectiveNegotiator.Negotiate(opusOnly, G711Only(), Setup);
        Assert.That(r.Succeeded, Is.False);
        Assert.That(r.IncompatibleReason, Does.Contain("audio"));
    }

    [Test]
    public void VideoIsAddedOnlyWhenBothSidesHaveItAndClamped()
    {
        var video = new MediaCapabilities
        {
            Send = [new() { Codec = "H264", MaxWidth = 1280, MaxHeight = 720, MaxFrameRate = 30, MaxBitrate = 1_500_000 }],
            Receive = [new() { Codec = "H264", MaxWidth = 640, MaxHeight = 360, MaxFrameRate = 15, MaxBitrate = 500_000 }],
        };
        var a = OpusAndG711() with { Video = video };
        var r = DirectiveNegotiator.Negotiate(a, a, Setup);
        var v = r.Caller!.Send.Single(f => f.Media == "video");
        Assert.Multiple(() =>
        {
            Assert.That(v.Width, Is.EqualTo(640));
            Assert.That(v.FrameRate, Is.EqualTo(15));
            Assert.That(v.ClockRate, Is.EqualTo(90000));
            Assert.That(v.Flow, Is.EqualTo(FlowIds.VideoSend));
            Assert.That(r.Callee!.Receive.Single(f => f.Media == "video").Flow, Is.EqualTo(FlowIds.VideoReceive));
        });
        var audioOnly = DirectiveNegotiator.Negotiate(a, OpusAndG711(), Setup);
        Assert.That(audioOnly.Caller!.Send.Any(f => f.Media == "video"), Is.False);
    }

    [Test]
    public void E2eUsesACommonSuiteAndFailsWhenRequiredButImpossible()
    {
        var gcm = OpusAndG711() with { E2e = new E2eCapabilities { SFrame = ["AES_128_GCM_SHA256_128", "AES_128_CTR_HMAC_SHA256_80"] } };
        var ctr = OpusAndG711() with { E2e = new E2eCapabilities { SFrame = ["AES_128_CTR_HMAC_SHA256_80"], Required = true } };
        var both = DirectiveNegotiator.Negotiate(gcm, ctr, Setup);
        Assert.That(both.Caller!.E2e!.Suite, Is.EqualTo("AES_128_CTR_HMAC_SHA256_80"));
        Assert.That(both.Callee!.E2e!.Suite, Is.EqualTo("AES_128_CTR_HMAC_SHA256_80"));

        var none = DirectiveNegotiator.Negotiate(OpusAndG711(), ctr, Setup);
        Assert.That(none.Succeeded, Is.False);
        Assert.That(DirectiveNegotiator.Negotiate(OpusAndG711(), gcm, Setup).Caller!.E2e, Is.Null);
    }

    [TestCase(false, false, "none", "none")]
    [TestCase(true, false, "local", "remote")]
    [TestCase(false, true, "remote", "local")]
    [TestCase(true, true, "both", "both")]
    public void HoldIsReportedFromEachLegsPointOfView(bool callerHolds, bool calleeHolds, string caller, string callee)
    {
        var r = DirectiveNegotiator.Negotiate(OpusAndG711(), OpusAndG711(), Setup with { CallerHolds = callerHolds, CalleeHolds = calleeHolds });
        Assert.That((r.Caller!.Hold, r.Callee!.Hold), Is.EqualTo((caller, callee)));
    }

    [Test]
    public void DirectiveJsonMatchesTheSpecificationsShape()
    {
        var r = DirectiveNegotiator.Negotiate(OpusAndG711(), OpusAndG711(), Setup);
        var json = JsonSerializer.Serialize(r.Caller!, RiptJsonContext.Default.Directive);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("revision").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("send")[0].GetProperty("payloadType").GetInt32(), Is.EqualTo(111));
            Assert.That(root.GetProperty("rtcp").GetProperty("sendFlow").GetInt64(), Is.EqualTo(3));
            Assert.That(root.GetProperty("hold").GetString(), Is.EqualTo("none"));
            Assert.That(root.TryGetProperty("e2e", out _), Is.False, "null members are omitted");
        });
        var back = JsonSerializer.Deserialize(json, RiptJsonContext.Default.Directive);
        Assert.That(back!.Send[0].Codec, Is.EqualTo("opus"));
    }

    [Test]
    public void UnknownMembersAndCodecsInAnAdvertisementAreIgnored()
    {
        const string json = """{"audio":{"send":[{"codec":"EVS","mode":3},{"codec":"PCMA","future":true}],"receive":[{"codec":"EVS"},{"codec":"PCMA"}]},"hologram":{}}""";
        var ad = JsonSerializer.Deserialize(json, RiptJsonContext.Default.Advertisement)!;
        var r = DirectiveNegotiator.Negotiate(ad, ad, Setup);
        Assert.That(r.Caller!.Send[0].Codec, Is.EqualTo("PCMA"));
    }
}
