using RtcClient.Media.Codecs;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>
/// Takes each assembled access unit of an end-to-end encrypted video flow, removes the framing and
/// SFrame protection, and decodes it; a frame that fails is dropped (counted by the SFrame receiver)
/// and never decoded. Called from one thread at a time (the receive pump).
/// </summary>
internal sealed class ProtectedVideoReceiver(IVideoDecoder decoder, IMediaFrameUnprotector unprotector, Action<VideoFrame> deliver)
{
    private byte[] _unwrapped = [];
    private byte[] _clear = [];

    public void OnAccessUnit(ReadOnlySpan<byte> accessUnit, uint timestamp, bool isKeyFrame)
    {
        if (_unwrapped.Length < accessUnit.Length)
        {
            _unwrapped = new byte[accessUnit.Length];
            _clear = new byte[accessUnit.Length];
        }
        if (!SFrameVideoFraming.TryUnwrap(accessUnit, _unwrapped, out int length))
            return;
        if (unprotector.Unprotect(_unwrapped.AsSpan(0, length), default, _clear, out int clear) != SFrameStatus.Success)
            return;
        if (decoder.Decode(_clear.AsSpan(0, clear), timestamp) is { } picture)
            deliver(picture);
    }
}
