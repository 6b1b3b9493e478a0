using RtcClient.Quic.Connection;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tests.Simulation;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Connection;

/// <summary>A peer that breaks the rules gets CONNECTION_CLOSE with the RFC's error code; nothing escapes.</summary>
public class HostileInputTests
{
    private static SimulatedNetwork Established()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s);
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed && net.Server.HandshakeCompleted, 5_000_000), Is.True);
        net.RunFor(100_000);
        return net;
    }

    private static byte[] Frames(params long[] varints)
    {
        var buffer = new byte[varints.Length * 8];
        int n = 0;
        foreach (long v in varints)
        {
            VariableLengthInteger.TryWrite(buffer.AsSpan(n), v, out int w);
            n += w;
        }
        return buffer[..n];
    }

    private static void AssertServerClosedWith(SimulatedNetwork net, TransportErrorCode code)
    {
        net.RunUntil(() => net.Client.Closing is not null, 2_000_000);
        Assert.Multiple(() =>
        {
            var local = net.ServerCore.CloseInfo;
            Assert.That(local, Is.Not.Null, "the server closed");
            Assert.That(local!.IsApplication, Is.False);
            Assert.That(local.ErrorCode, Is.EqualTo((long)code), local.Reason);
            var remote = net.Client.Closing;
            Assert.That(remote?.ByPeer, Is.True, "the client received CONNECTION_CLOSE");
            Assert.That(remote?.ErrorCode, Is.EqualTo((long)code));
        });
    }

    private static void SendAsClient(SimulatedNetwork net, EncryptionLevel level, byte[] frames)
    {
        var buffer = new byte[2048];
        int n = net.ClientCore.WriteRawPacket(level, frames, buffer);
        net.Inject(toServer: true, buffer[..n]);
    }

    [Test]
    public void Stream_frame_in_an_Initial_packet_is_a_protocol_violation()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s);
        // The client's very first packet carries STREAM instead of CRYPTO.
        SendAsClient(net, EncryptionLevel.Initial, Frames(0x0a, 0, 3, 1, 2, 3));
        net.RunUntil(() => net.Server.Core?.CloseInfo is not null, 1_000_000);
        Assert.That(net.ServerCore.CloseInfo?.ErrorCode, Is.EqualTo((long)TransportErrorCode.ProtocolViolation));
    }

    [TestCase(new long[] { 0x1e }, TransportErrorCode.ProtocolViolation, TestName = "HANDSHAKE_DONE from a client")]
    [TestCase(new long[] { 0x07, 1, 0 }, TransportErrorCode.ProtocolViolation, TestName = "NEW_TOKEN from a client")]
    [TestCase(new long[] { 0x0e, 0, 3 * 1024 * 1024, 1, 0 }, TransportErrorCode.FlowControlError, TestName = "STREAM beyond MAX_STREAM_DATA")]
    [TestCase(new long[] { 0x0a, 1, 1, 0 }, TransportErrorCode.StreamStateError, TestName = "STREAM on a server bidi stream not opened")]
    [TestCase(new long[] { 0x0a, 3, 1, 0 }, TransportErrorCode.StreamStateError, TestName = "STREAM on a server uni stream")]
    [TestCase(new long[] { 0x0a, 400, 1, 0 }, TransportErrorCode.StreamLimitError, TestName = "STREAM beyond MAX_STREAMS")]
    [TestCase(new long[] { 0x11, 2, 100 }, TransportErrorCode.StreamStateError, TestName = "MAX_STREAM_DATA on a receive-only stream")]
    [TestCase(new long[] { 0x05, 2, 0 }, TransportErrorCode.StreamStateError, TestName = "STOP_SENDING on the peer's uni stream")]
    [TestCase(new long[] { 0x40 }, TransportErrorCode.FrameEncodingError, TestName = "unknown frame type")]
    [TestCase(new long[] { 0x10 }, TransportErrorCode.FrameEncodingError, TestName = "truncated MAX_DATA")]
    [TestCase(new long[] { 0x06, 0, 50, 1 }, TransportErrorCode.FrameEncodingError, TestName = "CRYPTO length past the packet")]
    [TestCase(new long[] { 0x02, 1000, 0, 0, 0 }, TransportErrorCode.ProtocolViolation, TestName = "ACK of a packet never sent")]
    [TestCase(new long[] { 0x12, (1L << 60) + 1 }, TransportErrorCode.FrameEncodingError, TestName = "MAX_STREAMS above 2^60")]
    [TestCase(new long[] { 0x19, 99 }, TransportErrorCode.ProtocolViolation, TestName = "RETIRE_CONNECTION_ID never issued")]
    [TestCase(new long[] { 0x0b, 2, 2, 9, 9, 0x04, 2, 0, 1 }, TransportErrorCode.FinalSizeError, TestName = "RESET_STREAM changing the final size")]
    public void Peer_violation_closes_with_the_rfc_error_code(long[] frame, TransportErrorCode expected)
    {
        var net = Established();
        SendAsClient(net, EncryptionLevel.Application, Frames(frame));
        AssertServerClosedWith(net, expected);
    }

    [Test]
    public void Datagram_larger_than_announced_is_a_protocol_violation()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings(server: s => new ConnectionSettings { ServerTls = s.ServerTls, MaxDatagramFrameSize = 100 });
        var net = new SimulatedNetwork(c, s);
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed, 5_000_000), Is.True);
        var frame = new byte[2 + 2 + 200];
        frame[0] = 0x31;
        VariableLengthInteger.TryWrite(frame.AsSpan(1), 200, 2, out _);
        SendAsClient(net, EncryptionLevel.Application, frame[..(3 + 200)]);
        AssertServerClosedWith(net, TransportErrorCode.ProtocolViolation);
    }

    [Test]
    public void Too_many_connection_ids_is_a_connection_id_limit_error()
    {
        var net = Established();
        var frames = new List<byte>();
        for (int seq = 10; seq <= 17; seq++)
        {
            frames.AddRange(Frames(0x18, seq, 0));
            frames.Add(8);
            frames.AddRange(Enumerable.Repeat((byte)seq, 8));
            frames.AddRange(new byte[16]);
        }
        SendAsClient(net, EncryptionLevel.Application, [.. frames]);
        AssertServerClosedWith(net, TransportErrorCode.ConnectionIdLimitError);
    }

    [Test]
    public void Garbage_datagrams_are_dropped_without_harm()
    {
        var net = Established();
        var random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            var junk = new byte[random.Next(1, 1500)];
            random.NextBytes(junk);
            if (i % 3 == 0) junk[0] = 0x40; // looks like a short header
            if (i % 3 == 1 && junk.Length > 6) { junk[0] = 0xC0; junk[1] = 0; junk[2] = 0; junk[3] = 0; junk[4] = 1; }
            net.ServerCore.ReceiveDatagram(junk, net.Now);
            net.ClientCore.ReceiveDatagram((byte[])junk.Clone(), net.Now);
        }
        net.RunFor(100_000);
        Assert.Multiple(() =>
        {
            Assert.That(net.ServerCore.State, Is.EqualTo(ConnectionState.Open));
            Assert.That(net.ClientCore.State, Is.EqualTo(ConnectionState.Open));
        });
    }

    [Test]
    public void Truncations_of_a_valid_packet_never_escape()
    {
        var net = Established();
        var buffer = new byte[2048];
        int n = net.ClientCore.WriteRawPacket(EncryptionLevel.Application, Frames(0x01), buffer);
        for (int length = 0; length < n; length++)
        {
            net.ServerCore.ReceiveDatagram(buffer.AsSpan(0, length).ToArray(), net.Now);
        }
        Assert.That(net.ServerCore.State, Is.EqualTo(ConnectionState.Open));
    }
}
