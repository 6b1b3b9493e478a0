using RtcClient.Media.Rtp;
using RtcClient.Media.Streams;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>
/// On an end-to-end encrypted call, SFrame-protects the payload of each RFC 4733 telephone-event
/// packet of the audio flow on its way out (the DTMF sender writes whole RTP packets, not codec
/// frames), under the same sender key as the audio and with the payload type as SFrame metadata
/// (docs/protocol.md section 8). The RTP header stays clear, so the relay forwards the packet
/// without decoding it. A packet that cannot be protected (no send key) is not sent. Everything else
/// (audio, RTCP, video) passes through untouched. Telephone events come from the audio send stream
/// alone, under its lock, so the scratch buffer is used by one thread at a time.
/// </summary>
internal sealed class ProtectedTelephoneEventSink(IDatagramSink inner, ulong audioFlow, byte payloadType, IMediaFrameProtector protector) : IDatagramSink
{
    private readonly byte[] _buffer = new byte[512];

    public int MaxDatagramSize => inner.MaxDatagramSize;

    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        if (!RtpDatagram.TryRead(datagram, out ulong flow, out var packet) || flow != audioFlow
            || RtpPacket.TryParse(packet, out var rtp) != RtpParseStatus.Ok || rtp.PayloadType != payloadType)
            return inner.TrySend(datagram);
        int flowIdLength = datagram.Length - packet.Length;
        int prefix = flowIdLength + packet.Length - rtp.Payload.Length - rtp.PaddingLength;
        var output = _buffer.AsSpan();
        if (prefix + protector.GetMaxProtectedLength(rtp.Payload.Length) > output.Length)
            return false;
        datagram[..prefix].CopyTo(output);
        output[flowIdLength] &= 0xDF; // the protected packet carries no padding
        Span<byte> metadata = stackalloc byte[1];
        metadata[0] = payloadType; // SFrame metadata: the RTP payload type
        if (protector.Protect(rtp.Payload, metadata, output[prefix..], out int written) != SFrameStatus.Success)
            return false;
        return inner.TrySend(output[..(prefix + written)]);
    }
}
