namespace RtcClient.Media.Statistics;

/// <summary>
/// A simplified ITU-T G.107 E-model: R = R0 - Is - Id - Ie,eff + A with the recommendation's default
/// values for everything but delay and codec/loss impairment, and the R to MOS mapping of G.107
/// annex B. Narrowband scale; good for comparing calls and spotting trouble, not a listening test.
/// </summary>
public static class EModel
{
    /// <summary>R0 - Is with G.107 default parameters.</summary>
    public const double DefaultBaseR = 93.2;

    /// <summary>
    /// Equipment impairment facts for a codec (G.113 appendix I): Ie at zero loss and the packet-loss
    /// robustness Bpl.
    /// </summary>
    /// <param name="Ie">Equipment impairment factor.</param>
    /// <param name="Bpl">Packet-loss robustness factor.</param>
    public readonly record struct CodecImpairment(double Ie, double Bpl)
    {
        /// <summary>G.711 with packet loss concealment (G.113 appendix I: Ie 0, Bpl 25.1).</summary>
        public static CodecImpairment G711 { get; } = new(0, 25.1);

        /// <summary>
        /// Opus. G.113 lists no values; these are conservative estimates for wideband Opus at
        /// conversational bitrates mapped to the narrowband scale, with its strong concealment.
        /// </summary>
        public static CodecImpairment Opus { get; } = new(0, 30);

        /// <summary>Values for a codec by its RTP name (PCMU/PCMA/opus); G.711 values otherwise.</summary>
        public static CodecImpairment ForCodec(string name) =>
            string.Equals(name, "opus", StringComparison.OrdinalIgnoreCase) ? Opus : G711;
    }

    /// <summary>Delay impairment Id for a mouth-to-ear one-way delay (simplified form of G.107 for default echo parameters).</summary>
    public static double DelayImpairment(TimeSpan oneWayDelay)
    {
        double ta = Math.Max(0, oneWayDelay.TotalMilliseconds);
        return 0.024 * ta + (ta > 177.3 ? 0.11 * (ta - 177.3) : 0);
    }

    /// <summary>Effective equipment impairment Ie,eff for a packet loss percentage (random loss, BurstR = 1).</summary>
    public static double EffectiveEquipmentImpairment(CodecImpairment codec, double lossPercent, double burstRatio = 1)
    {
        double ppl = Math.Clamp(lossPercent, 0, 100);
        return codec.Ie + (95 - codec.Ie) * ppl / (ppl / Math.Max(1, burstRatio) + codec.Bpl);
    }

    /// <summary>Transmission rating R.</summary>
    public static double RFactor(CodecImpairment codec, TimeSpan oneWayDelay, double lossPercent) =>
        Math.Clamp(DefaultBaseR - DelayImpairment(oneWayDelay) - EffectiveEquipmentImpairment(codec, lossPercent), 0, 100);

    /// <summary>Estimated conversational MOS from R (G.107 annex B).</summary>
    public static double Mos(double r)
    {
        if (r <= 0)
            return 1;
        if (r >= 100)
            return 4.5;
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }
}
