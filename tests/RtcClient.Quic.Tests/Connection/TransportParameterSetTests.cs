using RtcClient.Quic.Connection;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Connection;

public class TransportParameterSetTests
{
    [Test]
    public void Round_trips()
    {
        var p = new TransportParameterSet
        {
            OriginalDestinationConnectionId = new ConnectionId([1, 2, 3, 4, 5, 6, 7, 8]),
            InitialSourceConnectionId = new ConnectionId([9, 9]),
            StatelessResetToken = new byte[16],
            MaxIdleTimeoutMs = 30000,
            InitialMaxData = 1 << 20,
            InitialMaxStreamsBidi = 7,
            MaxAckDelayMs = 40,
            MaxDatagramFrameSize = 1200,
            ActiveConnectionIdLimit = 5,
        };
        var decoded = TransportParameterSet.Decode(p.Encode(), fromServer: true);
        Assert.Multiple(() =>
        {
            Assert.That(decoded.OriginalDestinationConnectionId, Is.EqualTo(p.OriginalDestinationConnectionId));
            Assert.That(decoded.InitialSourceConnectionId, Is.EqualTo(p.InitialSourceConnectionId));
            Assert.That(decoded.MaxIdleTimeoutMs, Is.EqualTo(30000));
            Assert.That(decoded.InitialMaxData, Is.EqualTo(1 << 20));
            Assert.That(decoded.InitialMaxStreamsBidi, Is.EqualTo(7));
            Assert.That(decoded.MaxAckDelayMs, Is.EqualTo(40));
            Assert.That(decoded.MaxDatagramFrameSize, Is.EqualTo(1200));
            Assert.That(decoded.ActiveConnectionIdLimit, Is.EqualTo(5));
        });
    }

    private static byte[] Encode(params (long Id, byte[] Value)[] parameters)
    {
        var list = new List<byte>();
        var scratch = new byte[8];
        foreach (var (id, value) in parameters)
        {
            VariableLengthInteger.TryWrite(scratch, id, out int n);
            list.AddRange(scratch[..n]);
            VariableLengthInteger.TryWrite(scratch, value.Length, out n);
            list.AddRange(scratch[..n]);
            list.AddRange(value);
        }
        return [.. list];
    }

    private static readonly (long, byte[]) Iscid = (0x0f, [1, 2, 3, 4]);

    [Test]
    public void Server_only_parameter_from_a_client_is_rejected()
    {
        var e = Assert.Throws<QuicProtocolException>(() => TransportParameterSet.Decode(Encode(Iscid, (0x00, [1, 2, 3, 4, 5, 6, 7, 8])), fromServer: false));
        Assert.That(e!.Code, Is.EqualTo(TransportErrorCode.TransportParameterError));
    }

    [TestCase(0x03, new byte[] { 0x44, 0x00 }, TestName = "max_udp_payload_size below 1200")]
    [TestCase(0x0a, new byte[] { 21 }, TestName = "ack_delay_exponent above 20")]
    [TestCase(0x0b, new byte[] { 0x80, 0x00, 0x40, 0x00 }, TestName = "max_ack_delay of 2^14")]
    [TestCase(0x0e, new byte[] { 1 }, TestName = "active_connection_id_limit below 2")]
    [TestCase(0x04, new byte[] { 0x40 }, TestName = "truncated integer")]
    [TestCase(0x0f, new byte[] { 1, 2, 3, 4 }, TestName = "duplicate parameter")]
    public void Invalid_values_are_transport_parameter_errors(long id, byte[] value)
    {
        var e = Assert.Throws<QuicProtocolException>(() => TransportParameterSet.Decode(Encode(Iscid, (id, value)), fromServer: false));
        Assert.That(e!.Code, Is.EqualTo(TransportErrorCode.TransportParameterError));
    }

    [Test]
    public void Missing_initial_source_connection_id_is_rejected()
    {
        var e = Assert.Throws<QuicProtocolException>(() => TransportParameterSet.Decode(Encode((0x04, [0x10])), fromServer: false));
        Assert.That(e!.Code, Is.EqualTo(TransportErrorCode.TransportParameterError));
    }
}
