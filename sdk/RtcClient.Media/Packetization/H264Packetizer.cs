using RtcClient.Media.Rtp;

namespace RtcClient.Media.Packetization;

/// <summary>
/// RFC 6184 packetization mode 1 (non-interleaved): each access unit becomes RTP packets no larger
/// than the size the transport allows — consecutive small NAL units (SPS, PPS, small slices) share a
/// STAP-A, a NAL unit that fits goes alone, a larger one is split into FU-A fragments. The marker
/// bit is set on the last packet of the access unit. Allocation-free once its NAL table has grown.
/// </summary>
public sealed class H264Packetizer
{
    /// <summary>STAP-A NAL unit type.</summary>
    public const int StapA = 24;

    /// <summary>FU-A NAL unit type.</summary>
    public const int FuA = 28;

    private int[] _starts = new int[32];
    private int[] _lengths = new int[32];
    private ReadOnlyMemory<byte> _accessUnit;
    private int _count;
    private int _index;
    private int _fragmentOffset;
    private uint _timestamp;
    private int _maxPacketSize;

    /// <summary>Creates a packetizer for one video stream.</summary>
    public H264Packetizer(byte payloadType, uint ssrc, ushort initialSequenceNumber)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        PayloadType = payloadType;
        Ssrc = ssrc;
        NextSequenceNumber = initialSequenceNumber;
    }

    /// <summary>Payload type.</summary>
    public byte PayloadType { get; }

    /// <summary>SSRC.</summary>
    public uint Ssrc { get; }

    /// <summary>Sequence number of the next packet.</summary>
    public ushort NextSequenceNumber { get; private set; }

    /// <summary>
    /// Starts packetizing an Annex-B access unit with a 90 kHz timestamp; packets (RTP header
    /// included) will be at most <paramref name="maxPacketSize"/> bytes. The memory must stay
    /// unchanged until <see cref="TryNext"/> returns false.
    /// </summary>
    public void Begin(ReadOnlyMemory<byte> accessUnit, uint timestamp, int maxPacketSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, RtpPacket.FixedHeaderLength + 3);
        _accessUnit = accessUnit;
        _timestamp = timestamp;
        _maxPacketSize = maxPacketSize;
        _count = 0;
        _index = 0;
        _fragmentOffset = 0;
        var span = accessUnit.Span;
        int offset = 0;
        while (AnnexB.TryFindNext(span, ref offset, out int start, out int length))
        {
            if (_count == _starts.Length)
            {
                Array.Resize(ref _starts, _count * 2);
                Array.Resize(ref _lengths, _count * 2);
            }
            _starts[_count] = start;
            _lengths[_count] = length;
            _count++;
        }
    }

    /// <summary>Writes the next RTP packet; false when the access unit is done.</summary>
    public bool TryNext(Span<byte> destination, out int length)
    {
        length = 0;
        if (_index >= _count)
            return false;
        var au = _accessUnit.Span;
        int room = Math.Min(_maxPacketSize, destination.Length) - RtpPacket.FixedHeaderLength;
        var payload = destination[RtpPacket.FixedHeaderLength..];
        int payloadLength;
        var nal = au.Slice(_starts[_index], _lengths[_index]);
        if (_fragmentOffset == 0 && nal.Length <= room)
        {
            // Aggregate as many following NAL units as fit: 1 byte STAP-A header + 2-byte size per unit.
            int last = _index;
            int size = 1 + 2 + nal.Length;
            while (last + 1 < _count && size + 2 + _lengths[last + 1] <= room)
                size += 2 + _lengths[++last];
            if (last > _index)
            {
                byte f = 0, nri = 0;
                int o = 1;
                for (int i = _index; i <= last; i++)
                {
                    var unit = au.Slice(_starts[i], _lengths[i]);
                    f |= (byte)(unit[0] & 0x80);
                    nri = Math.Max(nri, (byte)(unit[0] & 0x60));
                    payload[o] = (byte)(unit.Length >> 8);
                    payload[o + 1] = (byte)unit.Length;
                    unit.CopyTo(payload[(o + 2)..]);
                    o += 2 + unit.Length;
                }
                payload[0] = (byte)(f | nri | StapA);
                payloadLength = o;
                _index = last + 1;
            }
            else
            {
                nal.CopyTo(payload);
                payloadLength = nal.Length;
                _index++;
            }
        }
        else
        {
            // FU-A: indicator (F, NRI, type 28), header (S, E, original type), then a slice of the NAL payload.
            int chunk = room - 2;
            bool startFragment = _fragmentOffset == 0;
            if (startFragment)
                _fragmentOffset = 1; // the NAL header byte travels in the FU header
            int remaining = nal.Length - _fragmentOffset;
            int take = Math.Min(chunk, remaining);
            bool endFragment = take == remaining;
            payload[0] = (byte)((nal[0] & 0xE0) | FuA);
            payload[1] = (byte)((startFragment ? 0x80 : 0) | (endFragment ? 0x40 : 0) | (nal[0] & 0x1F));
            nal.Slice(_fragmentOffset, take).CopyTo(payload[2..]);
            payloadLength = 2 + take;
            _fragmentOffset += take;
            if (endFragment)
            {
                _fragmentOffset = 0;
                _index++;
            }
        }
        bool marker = _index >= _count;
        RtpPacketWriter.WriteHeader(destination, new RtpHeader(PayloadType, NextSequenceNumber++, _timestamp, Ssrc, marker));
        length = RtpPacket.FixedHeaderLength + payloadLength;
        return true;
    }
}
