// A browser client of the RIPT/1 profile in docs/protocol.md: signaling with fetch() (JSON requests,
// Server-Sent Events read from a streaming response), media as RTP packets in WebTransport datagrams
// behind a varint flow id. G.711 only, so it needs nothing but the platform; enough for a softphone
// page and for the end-to-end browser test.

import { g711 } from './g711.js';

const EXPECT_JSON = { 'content-type': 'application/json' };

/** An HTTP error from the server, with its RFC 9457 problem body when there is one. */
export class RiptError extends Error {
  constructor(status, problem) {
    super(`${status} ${problem?.title ?? ''}${problem?.detail ? ': ' + problem.detail : ''}`);
    this.status = status;
    this.problem = problem;
  }
}

/** What this page can send and receive (docs/protocol.md 5.1): G.711 both laws, DTMF and CN. */
export const browserAdvertisement = () => {
  const audio = [{ codec: 'PCMU' }, { codec: 'PCMA' }, { codec: 'telephone-event' }, { codec: 'CN' }];
  return { audio: { send: audio, receive: audio } };
};

/** A connected client: discovery done, one handler registered under `name`. */
export class RiptClient {
  #origin; #token; #tg; #handler;

  constructor(origin, token, tg, handler) {
    this.#origin = origin; this.#token = token; this.#tg = tg; this.#handler = handler;
  }

  /** Discovers the first trunk group and registers `name` with the browser's advertisement. */
  static async connect(origin, token, name) {
    const probe = new RiptClient(origin, token, null, null);
    const discovery = await probe.request('GET', '/.well-known/ript');
    const tgs = await probe.request('GET', discovery.trunkGroups);
    if (!tgs.trunkGroups?.length) throw new Error('the server offers no trunk group to this token');
    const tg = await probe.request('GET', tgs.trunkGroups[0].uri);
    const handler = await probe.request('POST', tg.handlers, { name, advertisement: browserAdvertisement() });
    return new RiptClient(origin, token, tg, handler);
  }

  get origin() { return this.#origin; }
  get token() { return this.#token; }

  /** Places a call and follows its events; resolves once the server has created the call. */
  async placeCall(destination) {
    const document = await this.request('POST', this.#tg.calls, { handler: this.#handler.uri, destination });
    const call = new RiptCall(this, document);
    call.follow();
    return call;
  }

  /** Incoming calls to this handler, as RiptCall objects already following their events. */
  async *incomingCalls(signal) {
    for await (const e of this.events(this.#handler.events, signal)) {
      if (e.type !== 'incoming' || !e.data.call) continue;
      const document = e.data.document?.uri === e.data.call ? e.data.document : await this.request('GET', e.data.call);
      const call = new RiptCall(this, document);
      call.follow();
      yield call;
    }
  }

  /** One JSON request with the bearer token; throws RiptError with the problem on 4xx/5xx. */
  async request(method, path, body, signal) {
    const response = await fetch(new URL(path, this.#origin), {
      method, signal,
      headers: { authorization: `Bearer ${this.#token}`, accept: 'application/json', ...(body ? EXPECT_JSON : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new RiptError(response.status, json);
    return json;
  }

  /** Server-Sent Events from `path` as { type, data } objects, until the stream ends or `signal` aborts. */
  async *events(path, signal) {
    const response = await fetch(new URL(path, this.#origin), {
      signal, headers: { authorization: `Bearer ${this.#token}`, accept: 'text/event-stream' },
    });
    if (!response.ok) throw new RiptError(response.status, await response.json().catch(() => null));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message', data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue; // keepalive comment
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') type = text;
          else if (field === 'data') data += (data ? '\n' : '') + text;
        }
        if (data) yield { type, data: JSON.parse(data) };
      }
    }
  }
}

/** One call leg: state from the server's events, media on a WebTransport session. */
export class RiptCall extends EventTarget {
  #client; #abort = new AbortController(); #session = null; #send = null; #receive = null;
  #sequence = Math.floor(Math.random() * 65536); #timestamp = Math.floor(Math.random() * 2 ** 32);
  #codec = null; #receiveCodec = null; #first = true; #seq = -1;

  constructor(client, document) {
    super();
    this.#client = client;
    this.document = document;
    this.state = document.state;
    this.directive = document.directive ?? null;
    this.packetsSent = 0;
    this.packetsReceived = 0;
  }

  /** Reads the call's event stream; each event carries the complete new state. */
  async follow() {
    try {
      for await (const e of this.#client.events(this.document.events, this.#abort.signal)) this.#apply(e.data);
    } catch (e) {
      if (!this.#abort.signal.aborted) this.dispatchEvent(new CustomEvent('error', { detail: e }));
    }
  }

  #apply(e) {
    if (e.type === 'ping') { this.#post({ type: 'pong', nonce: e.nonce }); return; }
    if (e.seq === undefined || e.seq === null || e.seq <= this.#seq || !e.state) return;
    this.#seq = e.seq;
    this.state = e.state;
    if (e.directive) this.#useDirective(e.directive);
    this.dispatchEvent(new CustomEvent('state', { detail: e }));
    if (e.state === 'ended') this.#close();
  }

  #useDirective(directive) {
    this.directive = directive;
    const audio = (list) => list.find((f) => f.media === 'audio' && (f.codec === 'PCMU' || f.codec === 'PCMA'));
    this.#send = audio(directive.send ?? []) ?? null;
    this.#receive = audio(directive.receive ?? []) ?? null;
    this.#codec = this.#send ? g711(this.#send.codec) : null;
    this.#receiveCodec = this.#receive ? g711(this.#receive.codec) : null;
  }

  /** Opens the media session: WebTransport to the leg's media URI, token in the query (docs/protocol.md 7). */
  async openMedia(serverCertificateHashes) {
    const url = new URL(this.document.media, this.#client.origin);
    url.searchParams.set('access_token', this.#client.token);
    const options = serverCertificateHashes ? { serverCertificateHashes } : {};
    this.#session = new WebTransport(url.href, options);
    await this.#session.ready;
    this.#writer = this.#session.datagrams.writable.getWriter();
    this.#readDatagrams(this.#session.datagrams.readable.getReader());
  }

  #writer = null;

  /** Sends one 20 ms frame of 8 kHz audio (160 samples) with the directive's codec; false if not sending. */
  sendAudio(pcm) {
    if (!this.#writer || !this.#send || this.state !== 'answered') return false;
    const flow = encodeVarint(this.#send.flow);
    const packet = new Uint8Array(flow.length + 12 + pcm.length);
    packet.set(flow, 0);
    const rtp = new DataView(packet.buffer, flow.length, 12);
    rtp.setUint8(0, 0x80); // version 2, no padding, no extension, no CSRC
    rtp.setUint8(1, (this.#first ? 0x80 : 0) | this.#send.payloadType);
    rtp.setUint16(2, this.#sequence);
    rtp.setUint32(4, this.#timestamp >>> 0);
    rtp.setUint32(8, this.#send.ssrc ?? 0);
    this.#codec.encode(pcm, packet.subarray(flow.length + 12));
    this.#first = false;
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + pcm.length) >>> 0;
    this.#writer.write(packet).catch(() => {});
    this.packetsSent++;
    return true;
  }

  async #readDatagrams(reader) {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const [flow, offset] = decodeVarint(value);
        if (!this.#receive || flow !== this.#receive.flow || value.length < offset + 12) continue;
        const first = value[offset];
        if (first >> 6 !== 2) continue;
        const payloadType = value[offset + 1] & 0x7f;
        if (payloadType !== this.#receive.payloadType) continue; // telephone events and CN are not played
        let start = offset + 12 + 4 * (first & 0x0f);
        if (first & 0x10) {
          if (value.length < start + 4) continue;
          start += 4 + 4 * ((value[start + 2] << 8) | value[start + 3]);
        }
        let end = value.length;
        if (first & 0x20) end -= value[end - 1];
        if (start >= end) continue;
        const pcm = new Int16Array(end - start);
        this.#receiveCodec.decode(value.subarray(start, end), pcm);
        this.packetsReceived++;
        this.dispatchEvent(new CustomEvent('audio', { detail: pcm }));
      }
    } catch {
      // the session closed
    }
  }

  /** Answers an incoming call. */
  async answer() {
    const document = await this.#post({ type: 'answered' });
    if (document) this.#apply({ ...document, type: 'answered' });
  }

  /** Declines an incoming call. */
  async decline() {
    const document = await this.#post({ type: 'declined' });
    if (document) this.#apply({ ...document, type: 'declined' });
  }

  /** Hangs up (an `end` event; docs/protocol.md 6.4). */
  async hangup() {
    if (this.state === 'ended') return;
    const document = await this.#post({ type: 'end', reason: 'hangup' });
    if (document) this.#apply({ ...document, type: 'end' });
  }

  async #post(event) {
    try {
      return await this.#client.request('POST', this.document.uri + '/events', event);
    } catch (e) {
      this.dispatchEvent(new CustomEvent('error', { detail: e }));
      return null;
    }
  }

  #close() {
    this.#abort.abort();
    try { this.#session?.close(); } catch { /* already closed */ }
    this.#session = null;
    this.#writer = null;
  }
}

/** QUIC variable-length integer (RFC 9000 16), as the flow id is written. */
export function encodeVarint(v) {
  if (v < 0x40) return Uint8Array.of(v);
  if (v < 0x4000) return Uint8Array.of(0x40 | (v >> 8), v & 0xff);
  if (v < 0x40000000) return Uint8Array.of(0x80 | (v >>> 24), (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  throw new RangeError('flow id too large for this client');
}

/** Reads a varint at the start of `bytes`; returns [value, length]. */
export function decodeVarint(bytes) {
  const length = 1 << (bytes[0] >> 6);
  let v = bytes[0] & 0x3f;
  for (let i = 1; i < length; i++) v = v * 256 + bytes[i];
  return [v, length];
}
