using RtcClient.Media.Rtp;
using RtcClient.Media.Streams;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>
/// Removes SFrame protection from each received audio frame (one frame per packet) as it arrives,
/// before the receive stream buffers and decodes it. A frame that fails (altered, unknown key,
/// replayed, malformed) is dropped here, so it is never played: the jitter buffer conceals it as a
/// loss, and the SFrame receiver counts it. Telephone events are dropped too: on an end-to-end
/// encrypted call none are sent, so one that arrives did not come from the peer. Called from one
/// thread at a time (the receive pump).
/// </summary>
internal sealed class ProtectedRtpHandler(IRtpPacketHandler inner, IMediaFrameUnprotector unprotector, byte? telephoneEventPayloadType) : IRtpPacketHandler
{
    private readonly byte[] _clear = new byte[2048];

    public void OnRtpPacket(ReadOnlySpan<byte> packet, TimeSpan arrival)
    {
        if (RtpPacket.TryParse(packet, out var rtp) != RtpParseStatus.Ok || rtp.PayloadType == telephoneEventPayloadType)
            return;
        int headerLength = packet.Length - rtp.Payload.Length - rtp.PaddingLength;
        if (headerLength > _clear.Length / 2)
            return;
        packet[..headerLength].CopyTo(_clear);
        _clear[0] &= 0xDF; // the rewritten packet carries no padding
        if (unprotector.Unprotect(rtp.Payload, default, _clear.AsSpan(headerLength), out int length) != SFrameStatus.Success)
            return;
        inner.OnRtpPacket(_clear.AsSpan(0, headerLength + length), arrival);
    }
}
