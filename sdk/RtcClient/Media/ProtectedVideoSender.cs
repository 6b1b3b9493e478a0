using System.Buffers;
using RtcClient.Media.Codecs;
using RtcClient.Media.Streams;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>
/// Encodes each picture, SFrame-protects the access unit and sends it framed by
/// <see cref="SFrameVideoFraming"/>. A frame that cannot be protected (no send key) is not sent.
/// One frame at a time (the video pump's contract).
/// </summary>
internal sealed class ProtectedVideoSender
{
    private readonly VideoSendStream _stream;
    private readonly IVideoEncoder _encoder;
    private readonly IMediaFrameProtector _protector;
    private readonly ArrayBufferWriter<byte> _encoded = new(64 * 1024);
    private byte[] _protected = [];
    private byte[] _wrapped = [];
    private long _notSent;

    public ProtectedVideoSender(VideoSendStream stream, IVideoEncoder encoder, IMediaFrameProtector protector)
    {
        _stream = stream;
        _encoder = encoder;
        _protector = protector;
        stream.KeyFrameRequested += encoder.RequestKeyFrame;
    }

    /// <summary>Frames dropped because they could not be protected.</summary>
    public long FramesNotSent => Interlocked.Read(ref _notSent);

    public void Send(VideoFrame frame)
    {
        _encoded.Clear();
        bool keyFrame = _encoder.Encode(frame, _encoded);
        if (_encoded.WrittenCount == 0)
            return;
        int max = _protector.GetMaxProtectedLength(_encoded.WrittenCount);
        if (_protected.Length < max)
            _protected = new byte[max];
        if (_protector.Protect(_encoded.WrittenSpan, default, _protected, out int length) != SFrameStatus.Success)
        {
            Interlocked.Increment(ref _notSent);
            return;
        }
        int wrappedMax = SFrameVideoFraming.MaxWrappedLength(length);
        if (_wrapped.Length < wrappedMax)
            _wrapped = new byte[wrappedMax];
        int wrapped = SFrameVideoFraming.Wrap(_protected.AsSpan(0, length), keyFrame, _wrapped);
        _stream.SendAccessUnit(_wrapped.AsMemory(0, wrapped), (uint)frame.Timestamp);
    }
}
