using RtcClient.Media.Rtp;
using RtcClient.Media.Streams;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>
/// Removes SFrame protection from the payload of each received packet of the audio flow (one audio,
/// comfort-noise or telephone-event frame per packet) as it arrives, before the receive stream
/// buffers, decodes or reads it. The packet's payload type is the SFrame metadata, so a payload
/// relabelled on the path fails too. A packet that fails (altered, unknown key, replayed, malformed)
/// is dropped here, so it is never played: the jitter buffer conceals it as a loss, and the SFrame
/// receiver counts it. Called from one thread at a time (the receive pump).
/// </summary>
internal sealed class ProtectedRtpHandler(IRtpPacketHandler inner, IMediaFrameUnprotector unprotector) : IRtpPacketHandler
{
    private readonly byte[] _clear = new byte[2048];

    public void OnRtpPacket(ReadOnlySpan<byte> packet, TimeSpan arrival)
    {
        if (RtpPacket.TryParse(packet, out var rtp) != RtpParseStatus.Ok)
            return;
        int headerLength = packet.Length - rtp.Payload.Length - rtp.PaddingLength;
        if (headerLength > _clear.Length / 2)
            return;
        packet[..headerLength].CopyTo(_clear);
        _clear[0] &= 0xDF; // the rewritten packet carries no padding
        Span<byte> metadata = stackalloc byte[1];
        metadata[0] = rtp.PayloadType; // SFrame metadata: the RTP payload type
        if (unprotector.Unprotect(rtp.Payload, metadata, _clear.AsSpan(headerLength), out int length) != SFrameStatus.Success)
            return;
        inner.OnRtpPacket(_clear.AsSpan(0, headerLength + length), arrival);
    }
}
