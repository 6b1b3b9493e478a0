// G.711 µ-law (PCMU) and A-law (PCMA), 16-bit linear in, 8-bit codes out, as ITU-T G.711 defines
// them (the same quantization as RtcClient's default encoder).

const BIAS = 0x84;
const CLIP = 32635;

/** Encodes one 16-bit sample to a µ-law code. */
export function linearToMuLaw(sample) {
  // G.711 quantizes 14-bit input; negative values take the one's complement magnitude (as G.191 does).
  const sign = sample < 0 ? 0x80 : 0;
  if (sign) sample = 4 * (-(sample >> 2) - 1);
  if (sample > CLIP) sample = CLIP;
  sample += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (sample & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (sample >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one µ-law code to a 16-bit sample. */
export function muLawToLinear(code) {
  code = ~code & 0xff;
  const exponent = (code >> 4) & 0x07;
  const magnitude = ((((code & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return code & 0x80 ? -magnitude : magnitude;
}

/** Encodes one 16-bit sample to an A-law code. */
export function linearToALaw(sample) {
  let mask = 0xd5;
  let pcm = sample >> 3; // 13-bit
  if (pcm < 0) { mask = 0x55; pcm = -pcm - 1; }
  let segment = 0;
  for (let end = 0x1f; pcm > end && segment < 8; end = (end << 1) | 1) segment++;
  if (segment >= 8) return 0x7f ^ mask;
  const aval = segment < 2 ? (segment << 4) | ((pcm >> 1) & 0x0f) : (segment << 4) | ((pcm >> segment) & 0x0f);
  return aval ^ mask;
}

/** Decodes one A-law code to a 16-bit sample. */
export function aLawToLinear(code) {
  code ^= 0x55;
  const segment = (code & 0x70) >> 4;
  let t = (code & 0x0f) << 4;
  t = segment === 0 ? t + 8 : segment === 1 ? t + 0x108 : (t + 0x108) << (segment - 1);
  return code & 0x80 ? t : -t;
}

/** A G.711 codec for one law ('PCMU' or 'PCMA') over Int16Array frames. */
export function g711(codec) {
  if (codec !== 'PCMU' && codec !== 'PCMA') throw new Error(`not G.711: ${codec}`);
  const enc = codec === 'PCMU' ? linearToMuLaw : linearToALaw;
  const dec = codec === 'PCMU' ? muLawToLinear : aLawToLinear;
  return {
    encode(pcm, out) { for (let i = 0; i < pcm.length; i++) out[i] = enc(pcm[i]); return pcm.length; },
    decode(codes, out) { for (let i = 0; i < codes.length; i++) out[i] = dec(codes[i]); return codes.length; },
  };
}
