using System.Net;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Wire;

public class TransportParametersTests
{
    private static TransportParameters Full() => new()
    {
        OriginalDestinationConnectionId = [1, 2, 3, 4, 5, 6, 7, 8],
        MaxIdleTimeout = 30_000,
        StatelessResetToken = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray(),
        MaxUdpPayloadSize = 1472,
        InitialMaxData = 1L << 24,
        InitialMaxStreamDataBidiLocal = 1 << 20,
        InitialMaxStreamDataBidiRemote = 1 << 19,
        InitialMaxStreamDataUni = 1 << 18,
        InitialMaxStreamsBidi = 100,
        InitialMaxStreamsUni = 1L << 60,
        AckDelayExponent = 20,
        MaxAckDelay = (1 << 14) - 1,
        DisableActiveMigration = true,
        PreferredAddress = new TransportParametersPreferredAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4433), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 4434), [9, 9, 9], Enumerable.Range(50, 16).Select(i => (byte)i).ToArray()),
        ActiveConnectionIdLimit = 8,
        InitialSourceConnectionId = [0xaa, 0xbb],
        RetrySourceConnectionId = [0xcc],
        MaxDatagramFrameSize = 65535,
    };

    [Test]
    public void Every_parameter_round_trips()
    {
        TransportParameters original = Full();
        byte[] encoded = original.Encode();
        Assert.That(encoded, Has.Length.EqualTo(original.GetEncodedLength()));
        TransportParameters decoded = TransportParameters.Decode(encoded, fromServer: true);
        Assert.That(decoded.OriginalDestinationConnectionId, Is.EqualTo(original.OriginalDestinationConnectionId));
        Assert.That(decoded.MaxIdleTimeout, Is.EqualTo(30_000));
        Assert.That(decoded.StatelessResetToken, Is.EqualTo(original.StatelessResetToken));
        Assert.That(decoded.MaxUdpPayloadSize, Is.EqualTo(1472));
        Assert.That((decoded.InitialMaxData, decoded.InitialMaxStreamDataBidiLocal, decoded.InitialMaxStreamDataBidiRemote, decoded.InitialMaxStreamDataUni),
            Is.EqualTo((1L << 24, 1L << 20, 1L << 19, 1L << 18)));
        Assert.That((decoded.InitialMaxStreamsBidi, decoded.InitialMaxStreamsUni), Is.EqualTo((100L, 1L << 60)));
        Assert.That((decoded.AckDelayExponent, decoded.MaxAckDelay, decoded.DisableActiveMigration), Is.EqualTo((20L, (1L << 14) - 1, true)));
        Assert.That(decoded.PreferredAddress!.IPv4, Is.EqualTo(original.PreferredAddress!.IPv4));
        Assert.That(decoded.PreferredAddress.IPv6, Is.EqualTo(original.PreferredAddress.IPv6));
        Assert.That(decoded.PreferredAddress.ConnectionId, Is.EqualTo(original.PreferredAddress.ConnectionId));
        Assert.That(decoded.PreferredAddress.StatelessResetToken, Is.EqualTo(original.PreferredAddress.StatelessResetToken));
        Assert.That(decoded.ActiveConnectionIdLimit, Is.EqualTo(8));
        Assert.That(decoded.InitialSourceConnectionId, Is.EqualTo(original.InitialSourceConnectionId));
        Assert.That(decoded.RetrySourceConnectionId, Is.EqualTo(original.RetrySourceConnectionId));
        Assert.That(decoded.MaxDatagramFrameSize, Is.EqualTo(65535));
    }

    [Test]
    public void Absent_parameters_take_rfc_defaults()
    {
        var minimal = new TransportParameters { InitialSourceConnectionId = [] };
        TransportParameters decoded = TransportParameters.Decode(minimal.Encode(), fromServer: false);
        Assert.That((decoded.MaxUdpPayloadSize, decoded.AckDelayExponent, decoded.MaxAckDelay, decoded.ActiveConnectionIdLimit), Is.EqualTo((65527L, 3L, 25L, 2L)));
        Assert.That(decoded.MaxDatagramFrameSize, Is.Null);
        Assert.That(decoded.InitialSourceConnectionId, Is.Empty);
        Assert.That(decoded.PreferredAddress, Is.Null);
    }

    [Test]
    public void Unknown_and_grease_parameters_are_ignored()
    {
        byte[] known = new TransportParameters { InitialSourceConnectionId = [1], InitialMaxData = 5 }.Encode();
        // Reserved ID 31*5+27 = 182 (0x40b6) with 3 bytes, and unknown 0x3f with nothing, twice.
        byte[] encoded = [.. Convert.FromHexString("40b603aabbcc"), .. known, .. Convert.FromHexString("3f003f00")];
        TransportParameters decoded = TransportParameters.Decode(encoded, fromServer: false);
        Assert.That(decoded.InitialMaxData, Is.EqualTo(5));
    }

    [Test]
    public void Grease_parameter_is_sent_and_ignored()
    {
        var parameters = new TransportParameters { InitialSourceConnectionId = [1], GreaseParameterId = 31 * 100 + 27 };
        byte[] encoded = parameters.Encode();
        Assert.That(encoded.Length, Is.EqualTo(new TransportParameters { InitialSourceConnectionId = [1] }.GetEncodedLength() + 3));
        Assert.That(TransportParameters.Decode(encoded, fromServer: false).GreaseParameterId, Is.Null);
        Assert.Throws<ArgumentOutOfRangeException>(() => parameters.GreaseParameterId = 0x20);
        Assert.That(TransportParameters.IsReserved(27), Is.True);
        Assert.That(TransportParameters.IsReserved(0x20), Is.False);
    }

    private static void AssertError(byte[] encoded, bool fromServer = true)
    {
        var ex = Assert.Throws<QuicProtocolException>(() => TransportParameters.Decode(encoded, fromServer));
        Assert.That(ex!.Code, Is.EqualTo(TransportErrorCode.TransportParameterError));
    }

    private static byte[] With(string extraHex, bool server = true)
    {
        var baseline = new TransportParameters { InitialSourceConnectionId = [1, 2] };
        if (server) baseline.OriginalDestinationConnectionId = [3, 4];
        return [.. baseline.Encode(), .. Convert.FromHexString(extraHex)];
    }

    [TestCase("0302444f", TestName = "max_udp_payload_size 1103")]
    [TestCase("0a0115", TestName = "ack_delay_exponent 21")]
    [TestCase("0b0480004000", TestName = "max_ack_delay 2^14")]
    [TestCase("0e0101", TestName = "active_connection_id_limit 1")]
    [TestCase("0808d000000000000001", TestName = "initial_max_streams_bidi above 2^60")]
    [TestCase("0908d000000000000001", TestName = "initial_max_streams_uni above 2^60")]
    [TestCase("0c0100", TestName = "disable_active_migration with a value")]
    [TestCase("02020102", TestName = "stateless_reset_token not 16 bytes")]
    [TestCase("04020a0a", TestName = "integer with trailing length mismatch")]
    [TestCase("040240", TestName = "integer truncated inside its value")]
    [TestCase("0405", TestName = "value past the end")]
    [TestCase("40", TestName = "truncated ID")]
    [TestCase("04", TestName = "truncated length")]
    [TestCase("0115" + "000000000000000000000000000000000000000000", TestName = "connection ID of 21 bytes")]
    [TestCase("0401050402", TestName = "duplicate parameter")]
    [TestCase("0f00", TestName = "duplicate initial_source_connection_id")]
    public void Invalid_values_are_transport_parameter_errors(string extraHex) => AssertError(With(extraHex));

    [Test]
    public void Server_only_parameters_from_a_client_are_errors()
    {
        foreach (string hex in new[] { "0001aa", "0210" + new string('0', 32), "1001aa" })
            AssertError(With(hex, server: false), fromServer: false);
        var withPreferred = new TransportParameters { InitialSourceConnectionId = [1], PreferredAddress = Full().PreferredAddress };
        AssertError(withPreferred.Encode(), fromServer: false);
        Assert.That(TransportParameters.Decode(With("1001aa"), fromServer: true).RetrySourceConnectionId, Is.EqualTo(new byte[] { 0xaa }));
    }

    [Test]
    public void Required_connection_ids_must_be_present()
    {
        AssertError(new TransportParameters { OriginalDestinationConnectionId = [1] }.Encode(), fromServer: true);
        AssertError(new TransportParameters { InitialSourceConnectionId = [1] }.Encode(), fromServer: true);
    }

    [Test]
    public void Preferred_address_layout_is_validated()
    {
        TransportParameters full = Full();
        byte[] encoded = new TransportParameters { OriginalDestinationConnectionId = [1], InitialSourceConnectionId = [1], PreferredAddress = full.PreferredAddress }.Encode();
        Assert.That(TransportParameters.Decode(encoded, true).PreferredAddress!.ConnectionId, Is.EqualTo(new byte[] { 9, 9, 9 }));

        string v4 = "c0000201" + "1151";
        string v6 = "20010db8000000000000000000000001" + "1152";
        string token = new('0', 32);
        AssertError(With("0d" + "28" + v4 + v6 + "00" + token), true); // zero-length connection ID
        AssertError(With("0d" + "2a" + v4 + v6 + "02aa" + token), true); // CID length says 2, one byte given
        AssertError(With("0d" + "10" + v4 + "00000000000000000000"), true); // far too short

        // A server using zero-length connection IDs must not send preferred_address.
        var zeroCid = new TransportParameters { OriginalDestinationConnectionId = [1], InitialSourceConnectionId = [], PreferredAddress = full.PreferredAddress };
        AssertError(zeroCid.Encode(), true);

        // One family may be absent (all zero).
        var onlyV6 = new TransportParameters { OriginalDestinationConnectionId = [1], InitialSourceConnectionId = [1], PreferredAddress = full.PreferredAddress! with { IPv4 = null } };
        Assert.That(TransportParameters.Decode(onlyV6.Encode(), true).PreferredAddress!.IPv4, Is.Null);
    }
}
