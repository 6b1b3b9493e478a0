using RtcClient.Quic.Crypto;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Connection;

// DPLPMTUD (RFC 9000 section 14.3, RFC 8899): datagrams start at 1200 bytes; once the handshake is
// confirmed, PING+PADDING probes, each alone in a datagram, test larger sizes up to the smaller of our
// limit and the peer's max_udp_payload_size. An acknowledged probe raises the datagram size; a lost one
// is not a congestion signal. PTO probes go at 1200 bytes, so a path that stopped carrying the larger size
// still delivers them: large packets lost while small ones are acknowledged fall back to 1200 (black hole).
internal sealed partial class QuicConnectionCore
{
    private readonly PathMtuDiscovery _pathMtu = new();

    /// <summary>The path MTU search (for tests and statistics).</summary>
    internal PathMtuDiscovery PathMtu => _pathMtu;

    /// <summary>The largest UDP payload sent now (the path MTU found so far).</summary>
    public int MaxDatagramSize => _maxDatagramSize;

    /// <summary>Builds a probe datagram when one is due; returns its length, or 0.</summary>
    private int BuildPathMtuProbe(Span<byte> buffer, long now)
    {
        if (_state != ConnectionState.Open || !_handshakeConfirmed || !_congestionControlledAllowed || !MayProtectApplicationPacket) return 0;
        var space = _spaces[2];
        var cc = _loss.CongestionController;
        int size = _pathMtu.GetProbeSize(now);
        if (size == 0 || size > buffer.Length || space.WriteKeys is null || cc.BytesInFlight + size > cc.CongestionWindow) return 0;

        long pn = space.NextPacketNumber;
        int pnLength = PacketNumber.GetEncodedLength(pn, _loss.GetTracker(EncryptionLevel.Application).LargestAcked);
        int h = WriteHeader(space, buffer, pn, pnLength, out _);
        var payload = buffer[h..(size - PacketProtection.TagLength)];
        FrameWriter.TryWritePing(payload, out int ping);
        FrameWriter.TryWritePadding(payload[ping..], payload.Length - ping, out _);
        space.WriteKeys.Protect(buffer[..size], h, pn);
        space.NextPacketNumber++;
        CountProtectedPacket();

        var record = _spareRecord ?? _loss.RentPacket();
        _spareRecord = null;
        record.PacketNumber = pn;
        record.SentBytes = size;
        record.AckEliciting = true;
        record.InFlight = true;
        record.IsPathMtuProbe = true;
        _loss.OnPacketSent(EncryptionLevel.Application, record, now);
        _pathMtu.OnProbeSent(size);
        _stats.PacketsSent++;
        _qlog?.PacketSent(EncryptionLevel.Application, pn, size, now);
        _stats.CountPacketNumberLength(pnLength);
        OnDatagramSent(size, ackEliciting: true, now);
        return size;
    }

    /// <summary>An acknowledged 1-RTT packet: a probe confirms its size; others feed black hole detection.</summary>
    private void OnApplicationPacketAckedForPathMtu(SentPacket packet)
    {
        bool changed = packet.IsPathMtuProbe ? _pathMtu.OnProbeAcked(packet.SentBytes, _lastEventTime) : _pathMtu.OnPacketAcked(packet.SentBytes);
        if (changed) SetMaxDatagramSize(_pathMtu.Plpmtu);
    }

    /// <summary>A lost 1-RTT packet: a probe fails its size; others feed black hole detection.</summary>
    private void OnApplicationPacketLostForPathMtu(SentPacket packet)
    {
        if (packet.IsPathMtuProbe) _pathMtu.OnProbeLost(packet.SentBytes, _lastEventTime);
        else if (_pathMtu.OnPacketLost(packet.SentBytes)) SetMaxDatagramSize(_pathMtu.Plpmtu);
    }

    private void SetMaxDatagramSize(int size)
    {
        _maxDatagramSize = size;
        _loss.CongestionController.MaxDatagramSize = size;
        _pacer.MaxDatagramSize = size;
    }
}
