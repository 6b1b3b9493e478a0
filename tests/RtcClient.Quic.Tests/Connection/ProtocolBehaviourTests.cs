using System.Buffers.Binary;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Tests.Simulation;

namespace RtcClient.Quic.Tests.Connection;

/// <summary>RFC 9000 behaviours of the connection core beyond the happy path.</summary>
public class ProtocolBehaviourTests
{
    private static SimulatedNetwork Established(Func<ConnectionSettings, ConnectionSettings>? server = null)
    {
        var (c, s) = SimulatedNetwork.DefaultSettings(server: server);
        var net = new SimulatedNetwork(c, s);
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed && net.Server.HandshakeCompleted, 5_000_000), Is.True);
        net.RunFor(100_000);
        return net;
    }

    private static byte[] VersionNegotiation(QuicConnectionCore client, params uint[] versions)
    {
        var scid = client.OriginalDestinationConnectionId.Span;
        var dcid = client.SourceConnectionId.Span;
        var packet = new byte[7 + dcid.Length + scid.Length + 4 * versions.Length];
        packet[0] = 0xC5;
        int p = 5;
        packet[p++] = (byte)dcid.Length;
        dcid.CopyTo(packet.AsSpan(p));
        p += dcid.Length;
        packet[p++] = (byte)scid.Length;
        scid.CopyTo(packet.AsSpan(p));
        p += scid.Length;
        foreach (uint v in versions)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(p), v);
            p += 4;
        }
        return packet;
    }

    [Test]
    public void Client_abandons_when_version_negotiation_lists_no_common_version()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s) { Drop = (toServer, _, _) => toServer };
        net.Flush();
        net.ClientCore.ReceiveDatagram(VersionNegotiation(net.ClientCore, 0x1a2a3a4a, 0xff00001d), net.Now);
        Assert.Multiple(() =>
        {
            Assert.That(net.Client.Closing?.Kind, Is.EqualTo(CloseKind.VersionNegotiation));
            Assert.That(net.ClientCore.State, Is.EqualTo(ConnectionState.Closed));
        });
    }

    [Test]
    public void Client_ignores_version_negotiation_listing_its_version()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s);
        net.Flush();
        net.ClientCore.ReceiveDatagram(VersionNegotiation(net.ClientCore, 0x1a2a3a4a, 1), net.Now);
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed, 5_000_000), Is.True);
    }

    [Test]
    public void Stateless_reset_is_detected_and_the_connection_goes_silent()
    {
        var net = Established();
        var token = net.ClientCore.PeerParameters!.StatelessResetToken!;
        var reset = new byte[40];
        new Random(1).NextBytes(reset);
        reset[0] = (byte)(0x40 | (reset[0] & 0x3F));
        token.CopyTo(reset, reset.Length - 16);
        int sentBefore = net.SentToServer;
        net.ClientCore.ReceiveDatagram(reset, net.Now);
        net.RunFor(1_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(net.Client.Closing?.Kind, Is.EqualTo(CloseKind.StatelessReset));
            Assert.That(net.ClientCore.State, Is.EqualTo(ConnectionState.Closed));
            Assert.That(net.SentToServer, Is.EqualTo(sentBefore), "no CONNECTION_CLOSE after a reset");
        });
    }

    [Test]
    public void Server_respects_the_anti_amplification_limit_before_validation()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        int clientBytes = 0, serverBytes = 0;
        var net = new SimulatedNetwork(c, s)
        {
            // Only the client's first datagram ever arrives: the server cannot validate the address.
            Drop = (toServer, index, data) =>
            {
                if (toServer && index == 0)
                {
                    clientBytes += data.Length;
                    return false;
                }
                if (!toServer) serverBytes += data.Length;
                return toServer;
            },
        };
        net.RunFor(20_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(serverBytes, Is.GreaterThan(0));
            Assert.That(serverBytes, Is.LessThanOrEqualTo(3 * clientBytes));
        });
    }

    [Test]
    public void Connection_ids_are_issued_up_to_the_peer_limit()
    {
        var net = Established();
        Assert.Multiple(() =>
        {
            Assert.That(net.ClientCore.LocalConnectionIds.Count(), Is.EqualTo(4));
            Assert.That(net.ServerCore.LocalConnectionIds.Count(), Is.EqualTo(4));
            Assert.That(net.ServerCore.LocalConnectionIds.Distinct().Count(), Is.EqualTo(4));
        });
    }

    [Test]
    public void Reset_stream_and_stop_sending_carry_their_codes()
    {
        var net = Established();
        long a = net.ClientCore.OpenStream(bidirectional: true);
        long b = net.ClientCore.OpenStream(bidirectional: true);
        net.ClientCore.StreamWrite(a, new byte[5000], fin: false);
        net.ClientCore.StreamWrite(b, new byte[10], fin: false);
        net.RunFor(200_000);
        net.ClientCore.StreamAbortWrite(a, 7);
        net.ServerCore.StreamAbortRead(b, 9);
        net.RunFor(500_000);
        var buffer = new byte[10000];
        var status = net.ServerCore.StreamRead(a, buffer, out _, out long code);
        bool stopped = net.ClientCore.IsStreamSendClosed(b, out long? stopCode);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(QuicConnectionCore.ReadStatus.Reset));
            Assert.That(code, Is.EqualTo(7));
            Assert.That(stopped, Is.True);
            Assert.That(stopCode, Is.EqualTo(9));
            Assert.That(net.ServerCore.State, Is.EqualTo(ConnectionState.Open));
        });
    }

    [Test]
    public void Max_streams_limits_and_then_replenishes_streams()
    {
        var net = Established(s => s with { MaxInboundBidirectionalStreams = 2 });
        long first = net.ClientCore.OpenStream(true);
        long second = net.ClientCore.OpenStream(true);
        Assert.That(net.ClientCore.OpenStream(true), Is.EqualTo(-1), "the third stream waits for MAX_STREAMS");
        foreach (long id in new[] { first, second })
        {
            net.ClientCore.StreamWrite(id, "x"u8, fin: true);
        }
        net.RunFor(200_000);
        var buffer = new byte[16];
        foreach (long id in new[] { first, second })
        {
            net.ServerCore.StreamRead(id, buffer, out _, out _);
            net.ServerCore.StreamRead(id, buffer, out _, out _);
            net.ServerCore.StreamWrite(id, default, fin: true);
        }
        Assert.That(net.RunUntil(() => net.ClientCore.CanOpenStream(true), 2_000_000), Is.True);
        Assert.That(net.ClientCore.OpenStream(true), Is.EqualTo(8));
    }

    [Test]
    public void Datagrams_too_large_are_refused_not_truncated()
    {
        var net = Established(s => s with { MaxDatagramFrameSize = 300 });
        int max = net.ClientCore.MaxDatagramPayloadSize;
        Assert.Multiple(() =>
        {
            Assert.That(max, Is.InRange(290, 297));
            Assert.That(net.ClientCore.SendDatagram(new byte[max + 1]), Is.EqualTo(DatagramSendResult.TooLarge));
            Assert.That(net.ClientCore.SendDatagram(new byte[max]), Is.EqualTo(DatagramSendResult.Queued));
        });
        net.RunFor(100_000);
        Assert.Multiple(() =>
        {
            Assert.That(net.Server.Datagrams, Has.Count.EqualTo(1));
            Assert.That(net.Server.Datagrams[0], Has.Length.EqualTo(max));
            Assert.That(net.ServerCore.State, Is.EqualTo(ConnectionState.Open));
        });
    }

    [Test]
    public void Reset_stream_final_size_counts_only_bytes_sent()
    {
        var net = Established(s => s with { InitialMaxData = 4096, InitialMaxStreamData = 4096 });
        long blocked = net.ClientCore.OpenStream(true);
        Assert.That(net.ClientCore.StreamWrite(blocked, new byte[100_000], fin: false), Is.EqualTo(100_000));
        net.RunFor(200_000);
        net.ClientCore.StreamAbortWrite(blocked, 1);
        var transfer = new StreamTransfer(net, 20_000, seed: 3);
        net.OnStep = () =>
        {
            transfer.Step();
            var buffer = new byte[8192];
            net.ServerCore.StreamRead(blocked, buffer, out _, out _);
        };
        Assert.That(net.RunUntil(() => transfer.Finished, 30_000_000), Is.True, $"server {net.ServerCore.CloseInfo}");
        Assert.That(net.ServerCore.State, Is.EqualTo(ConnectionState.Open));
    }
}
