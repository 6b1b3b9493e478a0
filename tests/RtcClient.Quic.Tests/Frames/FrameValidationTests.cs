using RtcClient.Quic.Frames;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Frames;

public class FrameValidationTests
{
    private static TransportErrorCode ReadAllError(string hex)
    {
        byte[] payload = Convert.FromHexString(hex);
        var ex = Assert.Throws<QuicProtocolException>(() =>
        {
            var reader = new FrameReader(payload);
            while (reader.TryRead(out _)) { }
        });
        return ex!.Code;
    }

    [TestCase("1f", TestName = "unknown frame type 0x1f")]
    [TestCase("4040", TestName = "unknown two-byte frame type")]
    [TestCase("02", TestName = "ACK truncated")]
    [TestCase("020a0000", TestName = "ACK truncated before first range")]
    [TestCase("02050000" + "06", TestName = "first ACK range below zero")]
    [TestCase("020a000102" + "0503", TestName = "ACK gap below zero")]
    [TestCase("020a000102" + "0008", TestName = "ACK range length below zero")]
    [TestCase("020a003f02", TestName = "ACK range count past the end")]
    [TestCase("030a000002" + "0102", TestName = "ACK_ECN counts truncated")]
    [TestCase("0604" + "0a" + "0102", TestName = "CRYPTO length past the end")]
    [TestCase("06" + "ffffffffffffffff" + "01" + "00", TestName = "CRYPTO beyond 2^62-1")]
    [TestCase("0700", TestName = "empty NEW_TOKEN")]
    [TestCase("0a04" + "05" + "0102", TestName = "STREAM length past the end")]
    [TestCase("0e04" + "ffffffffffffffff" + "01" + "00", TestName = "STREAM offset plus length beyond 2^62-1")]
    [TestCase("0c04" + "ffffffffffffffff" + "00", TestName = "STREAM without LEN beyond 2^62-1")]
    [TestCase("12" + "d000000000000001", TestName = "MAX_STREAMS above 2^60")]
    [TestCase("17" + "d000000000000001", TestName = "STREAMS_BLOCKED above 2^60")]
    [TestCase("18" + "0100" + "00" + "00000000000000000000000000000000", TestName = "NEW_CONNECTION_ID length 0")]
    [TestCase("18" + "0100" + "15", TestName = "NEW_CONNECTION_ID length 21")]
    [TestCase("18" + "0102" + "01aa" + "00000000000000000000000000000000", TestName = "Retire Prior To above Sequence Number")]
    [TestCase("18" + "0100" + "04aabbccdd" + "0000", TestName = "NEW_CONNECTION_ID token truncated")]
    [TestCase("1a01020304", TestName = "PATH_CHALLENGE truncated")]
    [TestCase("1c0a0005616263", TestName = "CONNECTION_CLOSE reason past the end")]
    [TestCase("1d00", TestName = "APPLICATION_CLOSE truncated")]
    [TestCase("3105aabb", TestName = "DATAGRAM length past the end")]
    [TestCase("04", TestName = "RESET_STREAM truncated")]
    [TestCase("0104", TestName = "PING then truncated RESET_STREAM")]
    [TestCase("c0", TestName = "truncated frame type")]
    public void Malformed_frames_are_frame_encoding_errors(string hex)
        => Assert.That(ReadAllError(hex), Is.EqualTo(TransportErrorCode.FrameEncodingError));

    [TestCase("4001", TestName = "PING in a two-byte type")]
    [TestCase("80000008", TestName = "STREAM type in four bytes")]
    public void Overlong_frame_types_are_protocol_violations(string hex)
        => Assert.That(ReadAllError(hex), Is.EqualTo(TransportErrorCode.ProtocolViolation));

    [Test]
    public void Error_reports_the_raw_frame_type()
    {
        byte[] payload = Convert.FromHexString("0b0405aa");
        var ex = Assert.Throws<QuicProtocolException>(() =>
        {
            var reader = new FrameReader(payload);
            reader.TryRead(out _);
        });
        Assert.That(ex!.FrameType, Is.EqualTo(0x0b));
    }

    [Test]
    public void Limits_at_the_edge_are_accepted()
    {
        // MAX_STREAMS of exactly 2^60, STREAM ending exactly at 2^62-1.
        byte[] payload = Convert.FromHexString("12" + "d000000000000000" + "0e00" + "fffffffffffffffe" + "01" + "aa");
        var reader = new FrameReader(payload);
        Assert.That(reader.TryRead(out Frame f), Is.True);
        Assert.That(f.Maximum, Is.EqualTo(1L << 60));
        Assert.That(reader.TryRead(out f), Is.True);
        Assert.That(f.Offset + f.Data.Length, Is.EqualTo(VariableLengthInteger.MaxValue));
    }

    [Test]
    public void Hostile_ack_delay_saturates()
    {
        byte[] payload = Convert.FromHexString("02" + "05" + "ffffffffffffffff" + "00" + "00");
        var reader = new FrameReader(payload);
        Assert.That(reader.TryRead(out Frame f), Is.True);
        Assert.That(f.GetAckDelayMicroseconds(20), Is.EqualTo(long.MaxValue));
        Assert.That(f.GetAckDelayMicroseconds(0), Is.EqualTo(VariableLengthInteger.MaxValue));
    }

    // RFC 9000 Table 3 (I = Initial, 0 = 0-RTT, H = Handshake, 1 = 1-RTT).
    [TestCase(FrameType.Padding, "IH01")]
    [TestCase(FrameType.Ping, "IH01")]
    [TestCase(FrameType.Ack, "IH_1")]
    [TestCase(FrameType.ResetStream, "__01")]
    [TestCase(FrameType.StopSending, "__01")]
    [TestCase(FrameType.Crypto, "IH_1")]
    [TestCase(FrameType.NewToken, "___1")]
    [TestCase(FrameType.Stream, "__01")]
    [TestCase(FrameType.MaxData, "__01")]
    [TestCase(FrameType.MaxStreamData, "__01")]
    [TestCase(FrameType.MaxStreamsBidi, "__01")]
    [TestCase(FrameType.DataBlocked, "__01")]
    [TestCase(FrameType.StreamDataBlocked, "__01")]
    [TestCase(FrameType.StreamsBlockedUni, "__01")]
    [TestCase(FrameType.NewConnectionId, "__01")]
    [TestCase(FrameType.RetireConnectionId, "__01")]
    [TestCase(FrameType.PathChallenge, "__01")]
    [TestCase(FrameType.PathResponse, "___1")]
    [TestCase(FrameType.ConnectionClose, "IH01")]
    [TestCase(FrameType.ApplicationClose, "__01")]
    [TestCase(FrameType.HandshakeDone, "___1")]
    [TestCase(FrameType.Datagram, "__01")]
    public void Frames_are_allowed_in_the_packet_types_of_rfc9000_table_3(FrameType type, string allowed)
    {
        Assert.That(FrameRules.IsAllowed(type, PacketType.Initial), Is.EqualTo(allowed[0] == 'I'), "Initial");
        Assert.That(FrameRules.IsAllowed(type, PacketType.Handshake), Is.EqualTo(allowed[1] == 'H'), "Handshake");
        Assert.That(FrameRules.IsAllowed(type, PacketType.ZeroRtt), Is.EqualTo(allowed[2] == '0'), "0-RTT");
        Assert.That(FrameRules.IsAllowed(type, PacketType.OneRtt), Is.EqualTo(allowed[3] == '1'), "1-RTT");
    }

    [Test]
    public void Frame_in_the_wrong_packet_type_is_a_protocol_violation()
    {
        byte[] payload = Convert.FromHexString("1e");
        var ex = Assert.Throws<QuicProtocolException>(() =>
        {
            var reader = new FrameReader(payload);
            reader.TryRead(out Frame frame);
            FrameRules.ValidatePacketType(frame, PacketType.Handshake);
        });
        Assert.That((ex!.Code, ex.FrameType), Is.EqualTo((TransportErrorCode.ProtocolViolation, 0x1eL)));
    }

    [Test]
    public void Ack_eliciting_and_in_flight_follow_rfc9002()
    {
        foreach (FrameType type in Enum.GetValues<FrameType>())
        {
            bool nonEliciting = type is FrameType.Ack or FrameType.AckEcn or FrameType.Padding or FrameType.ConnectionClose or FrameType.ApplicationClose;
            Assert.That(FrameRules.IsAckEliciting(type), Is.EqualTo(!nonEliciting), type.ToString());
            Assert.That(FrameRules.CountsInFlight(type), Is.EqualTo(!nonEliciting || type == FrameType.Padding), type.ToString());
        }
    }
}
