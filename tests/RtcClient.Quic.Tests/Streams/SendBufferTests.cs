using RtcClient.Quic.Streams;

namespace RtcClient.Quic.Tests.Streams;

public class SendBufferTests
{
    private static byte[] Pattern(int length, int seed = 0) => Enumerable.Range(seed, length).Select(i => (byte)(i * 7 + 3)).ToArray();

    [Test]
    public void Writes_are_bounded_by_capacity_until_acknowledgments_release_data()
    {
        using var b = new SendBuffer(1000);
        Assert.That(b.Write(Pattern(700)), Is.EqualTo(700));
        Assert.That(b.Write(Pattern(700)), Is.EqualTo(300), "only what fits is taken");
        Assert.That(b.Write(Pattern(10)), Is.Zero);
        Assert.That(b.TryGetNextChunk(600, long.MaxValue, out var c), Is.True);
        b.OnAcked(c.Offset, c.Length, c.Fin);
        Assert.That(b.AvailableCapacity, Is.EqualTo(600));
        Assert.That(b.AcknowledgedOffset, Is.EqualTo(600));
    }

    [Test]
    public void Chunks_respect_size_and_flow_control_and_carry_the_bytes()
    {
        using var b = new SendBuffer(4096);
        var data = Pattern(1000);
        b.Write(data);
        Assert.That(b.TryGetNextChunk(300, flowControlLimit: 500, out var c1), Is.True);
        Assert.That(c1, Is.EqualTo(new StreamChunk(0, 300, false, false)));
        Assert.That(b.TryGetNextChunk(300, flowControlLimit: 500, out var c2), Is.True);
        Assert.That(c2, Is.EqualTo(new StreamChunk(300, 200, false, false)));
        Assert.That(b.TryGetNextChunk(300, flowControlLimit: 500, out _), Is.False, "blocked by flow control");
        Assert.That(b.HasDataToSend(500), Is.False);
        Assert.That(b.HasDataToSend(501), Is.True);

        var copy = new byte[200];
        b.CopyTo(300, copy);
        Assert.That(copy, Is.EqualTo(data[300..500]));
    }

    [Test]
    public void Fin_rides_on_the_last_chunk_or_alone()
    {
        using var b = new SendBuffer(100);
        b.Write(Pattern(50));
        b.Complete();
        Assert.That(b.FinalSize, Is.EqualTo(50));
        Assert.That(b.TryGetNextChunk(100, long.MaxValue, out var c), Is.True);
        Assert.That(c, Is.EqualTo(new StreamChunk(0, 50, true, false)));
        Assert.That(b.TryGetNextChunk(100, long.MaxValue, out _), Is.False);

        using var b2 = new SendBuffer(100);
        b2.Write(Pattern(50));
        b2.TryGetNextChunk(100, long.MaxValue, out _);
        b2.Complete();
        Assert.That(b2.TryGetNextChunk(100, long.MaxValue, out var fin), Is.True);
        Assert.That(fin, Is.EqualTo(new StreamChunk(50, 0, true, false)));
        Assert.Throws<InvalidOperationException>(() => b2.Write(Pattern(1)));
    }

    [Test]
    public void Lost_data_is_retransmitted_first_and_without_the_acknowledged_parts()
    {
        using var b = new SendBuffer(10_000);
        b.Write(Pattern(3000));
        var chunks = new List<StreamChunk>();
        while (b.TryGetNextChunk(1000, long.MaxValue, out var c))
        {
            chunks.Add(c);
        }
        Assert.That(chunks, Has.Count.EqualTo(3));
        // Bytes 1500..2000 were also sent in another (retransmitted) frame that got acknowledged.
        b.OnAcked(1500, 500, false);
        b.OnLost(1000, 1000, false);
        b.Write(Pattern(500));
        Assert.That(b.TryGetNextChunk(1000, long.MaxValue, out var r), Is.True);
        Assert.That(r, Is.EqualTo(new StreamChunk(1000, 500, false, true)));
        Assert.That(b.TryGetNextChunk(1000, long.MaxValue, out var n), Is.True);
        Assert.That(n, Is.EqualTo(new StreamChunk(3000, 500, false, false)), "then new data");
    }

    [Test]
    public void Retransmissions_split_to_the_frame_size_and_a_lost_fin_is_resent()
    {
        using var b = new SendBuffer(10_000);
        b.Write(Pattern(1000));
        b.Complete();
        b.TryGetNextChunk(2000, long.MaxValue, out var c);
        Assert.That(c.Fin, Is.True);
        b.OnLost(0, 1000, fin: true);
        Assert.That(b.TryGetNextChunk(600, long.MaxValue, out var r1), Is.True);
        Assert.That(r1, Is.EqualTo(new StreamChunk(0, 600, false, true)));
        Assert.That(b.TryGetNextChunk(600, long.MaxValue, out var r2), Is.True);
        Assert.That(r2, Is.EqualTo(new StreamChunk(600, 400, true, true)));
        Assert.That(b.HasRetransmission, Is.False);

        b.OnAcked(0, 600, false);
        b.OnAcked(600, 400, true);
        Assert.That(b.IsAllAcknowledged, Is.True);
        Assert.That(b.BufferedBytes, Is.Zero);
    }

    [Test]
    public void A_fin_only_loss_resends_a_fin_only_frame()
    {
        using var b = new SendBuffer(100);
        b.Write(Pattern(10));
        b.TryGetNextChunk(100, long.MaxValue, out _);
        b.Complete();
        b.TryGetNextChunk(100, long.MaxValue, out _);
        b.OnAcked(0, 10, false);
        b.OnLost(10, 0, fin: true);
        Assert.That(b.TryGetNextChunk(100, long.MaxValue, out var c), Is.True);
        Assert.That(c, Is.EqualTo(new StreamChunk(10, 0, true, true)));
    }

    [Test]
    public void Loss_after_acknowledgment_of_the_same_data_resends_nothing()
    {
        using var b = new SendBuffer(100);
        b.Write(Pattern(10));
        b.TryGetNextChunk(100, long.MaxValue, out _);
        b.OnAcked(0, 10, false);
        b.OnLost(0, 10, false);
        Assert.That(b.HasRetransmission, Is.False);
        Assert.That(b.TryGetNextChunk(100, long.MaxValue, out _), Is.False);
    }

    [Test]
    public void Reset_reports_the_sent_offset_as_final_size_and_stops_sending()
    {
        using var b = new SendBuffer(1000);
        b.Write(Pattern(800));
        b.TryGetNextChunk(300, long.MaxValue, out _);
        b.OnLost(0, 300, false);
        Assert.That(b.Reset(), Is.EqualTo(300));
        Assert.That(b.IsReset, Is.True);
        Assert.That(b.HasDataToSend(long.MaxValue), Is.False);
        Assert.That(b.TryGetNextChunk(300, long.MaxValue, out _), Is.False);
        Assert.Throws<InvalidOperationException>(() => b.Write(Pattern(1)));
    }

    [Test]
    public void Data_wraps_around_the_ring_without_corruption()
    {
        using var b = new SendBuffer(1000);
        var all = Pattern(20_000);
        var received = new byte[all.Length];
        int written = 0;
        var random = new Random(5);
        for (int round = 0; round < 10_000 && b.AcknowledgedOffset < all.Length; round++)
        {
            written += b.Write(all.AsSpan(written, Math.Min(random.Next(1, 400), all.Length - written)));
            if (b.TryGetNextChunk(random.Next(1, 300), long.MaxValue, out var c))
            {
                b.CopyTo(c.Offset, received.AsSpan((int)c.Offset, c.Length));
                b.OnAcked(c.Offset, c.Length, c.Fin);
            }
        }
        Assert.That(b.AcknowledgedOffset, Is.EqualTo(all.Length));
        Assert.That(received, Is.EqualTo(all));
    }
}
