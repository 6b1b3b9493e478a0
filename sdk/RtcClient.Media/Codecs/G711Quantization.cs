namespace RtcClient.Media.Codecs;

/// <summary>
/// How a G.711 encoder maps 16-bit samples onto the 256 codes. G.711 itself defines the quantizer on
/// 14-bit (µ-law) / 13-bit (A-law) input; the reduction from 16 bits and the handling of inputs near
/// segment junctions are where common encoders differ, by at most one quantization step. Decoding is
/// the same for every choice.
/// </summary>
public enum G711Quantization
{
    /// <summary>
    /// ITU-T G.711 decision levels with the ITU-T G.191 reduction (low bits truncated, one's complement
    /// magnitude for negative samples). The default; what the ITU reference software produces.
    /// </summary>
    Itu,

    /// <summary>
    /// The input is first rounded (half up) to 14 / 13 bits, then quantized with the G.711 decision
    /// levels; negative µ-law samples use a two's complement magnitude. Bit-identical to sox's
    /// <c>-e u-law</c> / <c>-e a-law</c> output.
    /// </summary>
    RoundedInput,

    /// <summary>
    /// The input truncated to 14 bits goes to the nearest reconstruction value (decision levels at the
    /// midpoints between neighbouring reconstruction values, also across segment junctions).
    /// Bit-identical to ffmpeg's <c>pcm_mulaw</c> / <c>pcm_alaw</c>.
    /// </summary>
    NearestLevel,
}
