using RtcClient.Media.Statistics;

namespace RtcClient.Media.Tests.Statistics;

public class EModelTests
{
    [Test]
    public void Perfect_g711_call_scores_the_default_r_and_its_mos()
    {
        double r = EModel.RFactor(EModel.CodecImpairment.G711, TimeSpan.Zero, 0);
        Assert.That(r, Is.EqualTo(93.2).Within(1e-9));
        Assert.That(EModel.Mos(r), Is.EqualTo(4.41).Within(0.01));
    }

    [Test]
    public void Loss_and_delay_lower_the_score()
    {
        // 5 % random loss on G.711 with PLC: Ie,eff = 95 * 5 / (5 + 25.1).
        double r = EModel.RFactor(EModel.CodecImpairment.G711, TimeSpan.Zero, 5);
        Assert.That(r, Is.EqualTo(93.2 - 95 * 5 / 30.1).Within(1e-9));
        // Delay beyond 177.3 ms costs extra.
        Assert.That(EModel.DelayImpairment(TimeSpan.FromMilliseconds(100)), Is.EqualTo(2.4).Within(1e-9));
        Assert.That(EModel.DelayImpairment(TimeSpan.FromMilliseconds(300)), Is.EqualTo(7.2 + 0.11 * 122.7).Within(1e-9));
        Assert.That(EModel.Mos(EModel.RFactor(EModel.CodecImpairment.G711, TimeSpan.FromMilliseconds(400), 10)), Is.LessThan(3.2));
        Assert.That(EModel.Mos(-5), Is.EqualTo(1));
        Assert.That(EModel.Mos(120), Is.EqualTo(4.5));
    }
}
