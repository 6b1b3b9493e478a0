using RtcClient.Media.Codecs;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>
/// Encodes, then SFrame-protects each audio (or comfort-noise) frame before the send stream
/// packetizes it, with the frame's RTP payload type as SFrame metadata. A frame that cannot be
/// protected (no send key yet) yields no payload, so nothing is sent: never clear media.
/// </summary>
internal sealed class ProtectedAudioEncoder(IAudioEncoder inner, IMediaFrameProtector protector) : IAudioEncoder
{
    private readonly byte[] _clear = new byte[1500];
    private long _notSent;

    public AudioCodecInfo Info => inner.Info;

    /// <summary>Frames dropped because they could not be protected.</summary>
    public long FramesNotSent => Interlocked.Read(ref _notSent);

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        int room = payload.Length - (protector.GetMaxProtectedLength(0));
        if (room <= 0)
            return 0;
        int length = inner.Encode(pcm, _clear.AsSpan(0, Math.Min(room, _clear.Length)));
        if (length == 0)
            return 0;
        Span<byte> metadata = stackalloc byte[1];
        metadata[0] = inner.Info.PayloadType; // SFrame metadata: the RTP payload type
        if (protector.Protect(_clear.AsSpan(0, length), metadata, payload, out int written) != SFrameStatus.Success)
        {
            Interlocked.Increment(ref _notSent);
            return 0;
        }
        return written;
    }

    public void Dispose() => inner.Dispose();
}
