using RtcClient.Quic.Streams;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Streams;

public class ReceiveBufferTests
{
    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 + 7)).ToArray();

    private static byte[] ReadAll(ReceiveBuffer b)
    {
        var output = new byte[b.ReadableBytes];
        int n = b.Read(output);
        return output[..n];
    }

    private static TransportErrorCode CodeOf(TestDelegate action) => Assert.Throws<QuicProtocolException>(action)!.Code;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(8)]
    public void Random_permutation_with_duplicates_and_overlaps_reassembles_the_exact_bytes(int seed)
    {
        var random = new Random(seed);
        var original = new byte[random.Next(1, 200_000)];
        random.NextBytes(original);

        // Cut into random pieces, add random overlapping re-sends, shuffle.
        var pieces = new List<(int Offset, int Length)>();
        for (int at = 0; at < original.Length;)
        {
            int len = Math.Min(random.Next(1, 3000), original.Length - at);
            pieces.Add((at, len));
            at += len;
        }
        int extra = pieces.Count / 2;
        for (int i = 0; i < extra; i++)
        {
            int start = random.Next(original.Length);
            pieces.Add((start, Math.Min(random.Next(1, 5000), original.Length - start)));
        }
        var order = pieces.OrderBy(_ => random.Next()).ToList();

        using var b = new ReceiveBuffer(limit: original.Length);
        var output = new List<byte>(original.Length);
        var readBuffer = new byte[random.Next(1, 10_000)];
        long charged = 0;
        foreach (var (offset, length) in order)
        {
            bool fin = offset + length == original.Length;
            charged += b.OnData(offset, original.AsSpan(offset, length), fin);
            // Read some of what is ready now and then, as an application would.
            if (random.Next(3) == 0)
            {
                int n = b.Read(readBuffer);
                output.AddRange(readBuffer.AsSpan(0, n).ToArray());
            }
        }
        for (int guard = 0; guard < original.Length && b.ReadableBytes > 0; guard++)
        {
            int n = b.Read(readBuffer);
            output.AddRange(readBuffer.AsSpan(0, n).ToArray());
        }
        Assert.That(output.ToArray(), Is.EqualTo(original));
        Assert.That(b.IsFinished, Is.True);
        Assert.That(charged, Is.EqualTo(original.Length), "connection flow control is charged once per byte of highest offset");
    }

    [Test]
    public void Gaps_hold_back_reading_until_filled()
    {
        using var b = new ReceiveBuffer(100);
        var data = Pattern(30);
        b.OnData(10, data.AsSpan(10, 10), false);
        Assert.That(b.ReadableBytes, Is.Zero);
        b.OnData(0, data.AsSpan(0, 10), false);
        Assert.That(ReadAll(b), Is.EqualTo(data[..20]));
        b.OnData(20, data.AsSpan(20, 10), true);
        Assert.That(b.HasAllData, Is.True);
        Assert.That(ReadAll(b), Is.EqualTo(data[20..]));
        Assert.That(b.IsFinished, Is.True);
    }

    [Test]
    public void Already_read_data_received_again_is_ignored()
    {
        using var b = new ReceiveBuffer(100);
        var data = Pattern(20);
        b.OnData(0, data.AsSpan(0, 10), false);
        ReadAll(b);
        Assert.That(b.OnData(0, data, false), Is.EqualTo(10));
        Assert.That(ReadAll(b), Is.EqualTo(data[10..]));
    }

    [Test]
    public void Changed_data_at_the_same_offset_is_a_protocol_violation()
    {
        using var b = new ReceiveBuffer(100);
        b.OnData(0, Pattern(20), false);
        var changed = Pattern(20);
        changed[15] ^= 0xFF;
        Assert.That(CodeOf(() => b.OnData(10, changed.AsSpan(10, 10), false)), Is.EqualTo(TransportErrorCode.ProtocolViolation));
    }

    [Test]
    public void Data_beyond_the_flow_control_limit_is_a_flow_control_error()
    {
        using var b = new ReceiveBuffer(100);
        Assert.That(CodeOf(() => b.OnData(90, Pattern(11), false)), Is.EqualTo(TransportErrorCode.FlowControlError));
        b.Limit = 200;
        Assert.DoesNotThrow(() => b.OnData(90, Pattern(11), false));
        b.Limit = 50;
        Assert.That(b.Limit, Is.EqualTo(200), "limits never shrink");
    }

    [Test]
    public void Data_beyond_2_62_is_a_frame_encoding_error()
    {
        using var b = new ReceiveBuffer(long.MaxValue);
        Assert.That(CodeOf(() => b.OnData(ReceiveBuffer.MaxStreamOffset, Pattern(2), false)), Is.EqualTo(TransportErrorCode.FrameEncodingError));
    }

    [Test]
    public void Data_past_the_final_size_is_a_final_size_error()
    {
        using var b = new ReceiveBuffer(100);
        b.OnData(0, Pattern(10), fin: true);
        Assert.That(CodeOf(() => b.OnData(5, Pattern(10), false)), Is.EqualTo(TransportErrorCode.FinalSizeError));
    }

    [Test]
    public void A_changed_final_size_is_a_final_size_error()
    {
        using var b = new ReceiveBuffer(100);
        b.OnData(0, Pattern(10), fin: true);
        Assert.That(CodeOf(() => b.OnData(0, Pattern(8), fin: true)), Is.EqualTo(TransportErrorCode.FinalSizeError));
        Assert.DoesNotThrow(() => b.OnData(0, Pattern(10), fin: true), "the same final size again is fine");
    }

    [Test]
    public void A_final_size_below_received_data_is_a_final_size_error()
    {
        using var b = new ReceiveBuffer(100);
        b.OnData(20, Pattern(10), false);
        Assert.That(CodeOf(() => b.OnData(0, Pattern(15), fin: true)), Is.EqualTo(TransportErrorCode.FinalSizeError));
    }

    [Test]
    public void Reset_final_size_rules()
    {
        using var below = new ReceiveBuffer(100);
        below.OnData(0, Pattern(30), false);
        Assert.That(CodeOf(() => below.OnReset(20)), Is.EqualTo(TransportErrorCode.FinalSizeError));

        using var changed = new ReceiveBuffer(100);
        changed.OnData(0, Pattern(30), true);
        Assert.That(CodeOf(() => changed.OnReset(40)), Is.EqualTo(TransportErrorCode.FinalSizeError));

        using var overLimit = new ReceiveBuffer(100);
        Assert.That(CodeOf(() => overLimit.OnReset(101)), Is.EqualTo(TransportErrorCode.FlowControlError));

        using var ok = new ReceiveBuffer(100);
        ok.OnData(0, Pattern(30), false);
        Assert.That(ok.OnReset(60), Is.EqualTo(30), "the rest of the final size is charged to the connection");
        Assert.That(ok.IsReset, Is.True);
        Assert.That(ok.ReadableBytes, Is.Zero);
        Assert.That(CodeOf(() => ok.OnData(50, Pattern(20), false)), Is.EqualTo(TransportErrorCode.FinalSizeError));
        Assert.That(ok.OnData(50, Pattern(10), false), Is.Zero, "data within the final size after a reset is dropped");
    }

    [Test]
    public void Crypto_buffer_slides_with_the_reader_and_overflows_with_crypto_buffer_exceeded()
    {
        using var b = ReceiveBuffer.ForCrypto(bufferSize: 1000);
        Assert.That(CodeOf(() => b.OnData(500, Pattern(501), false)), Is.EqualTo(TransportErrorCode.CryptoBufferExceeded));
        b.OnData(0, Pattern(800), false);
        Assert.That(ReadAll(b), Has.Length.EqualTo(800));
        Assert.DoesNotThrow(() => b.OnData(1000, Pattern(800), false), "limit moved to read offset + 1000");
    }

    [Test]
    public void Memory_stays_within_the_window_as_data_streams_through()
    {
        using var b = new ReceiveBuffer(64 * 1024);
        var chunk = Pattern(1000);
        var sink = new byte[1000];
        for (long offset = 0; offset < 10_000_000; offset += 1000)
        {
            b.OnData(offset, chunk, false);
            Assert.That(b.Read(sink), Is.EqualTo(1000));
            b.Limit = b.ReadOffset + 64 * 1024;
        }
        Assert.That(b.ReadOffset, Is.EqualTo(10_000_000));
    }

    [Test]
    public void Extreme_fragmentation_is_refused_with_a_protocol_violation()
    {
        using var b = new ReceiveBuffer(1 << 20);
        var ex = Assert.Throws<QuicProtocolException>(() =>
        {
            // One byte at every other offset, from the end of the window down: a DoS pattern.
            for (long offset = (1 << 20) - 2; offset >= 0; offset -= 2)
            {
                b.OnData(offset, [1], false);
            }
        });
        Assert.That(ex!.Code, Is.EqualTo(TransportErrorCode.ProtocolViolation));
    }
}
