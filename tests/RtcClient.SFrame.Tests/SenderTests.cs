namespace RtcClient.SFrame.Tests;

public class SenderTests
{
    private static ulong CounterOf(byte[] protectedFrame)
    {
        Assert.That(SFrameHeader.TryDecode(protectedFrame, out var header, out _), Is.EqualTo(SFrameHeaderStatus.Valid));
        return header.Counter;
    }

    [Test]
    public void Without_a_send_key_nothing_is_emitted()
    {
        using var keys = new StaticSFrameKeyProvider();
        using var sender = new SFrameSender(keys, new SFrameSenderOptions());
        var frame = Enumerable.Repeat((byte)0x42, 50).ToArray();
        var output = Enumerable.Repeat((byte)0xEE, 200).ToArray();

        var status = sender.Protect(frame, [], output, out int written);

        Assert.That(status, Is.EqualTo(SFrameStatus.KeyMissing));
        Assert.That(written, Is.Zero);
        Assert.That(output, Is.All.EqualTo(0xEE), "no clear media, not even partially");
        Assert.That(sender.Statistics, Is.EqualTo(new SFrameSenderStatistics(0, 1, 0)));
    }

    [Test]
    public void Counters_increase_by_one_per_frame()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128);
        var counters = Enumerable.Range(0, 300).Select(_ => CounterOf(link.Protect(new byte[4]))).ToArray();
        Assert.That(counters, Is.EqualTo(Enumerable.Range(0, 300).Select(i => (ulong)i).ToArray()));
    }

    [Test]
    public void Concurrent_senders_on_one_stream_never_share_a_counter()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_64);
        const int Threads = 4;
        const int FramesEach = 500;
        var produced = new System.Collections.Concurrent.ConcurrentBag<byte[]>();

        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            var output = new byte[64];
            for (int i = 0; i < FramesEach; i++)
            {
                var status = link.Sender.Protect(BitConverter.GetBytes(t * FramesEach + i), [], output, out int written);
                if (status == SFrameStatus.Success)
                {
                    produced.Add(output[..written]);
                }
            }
        })).ToArray();
        Assert.That(Task.WaitAll(workers, TimeSpan.FromSeconds(60)), Is.True, "workers finished");

        var counters = produced.Select(CounterOf).ToList();
        Assert.That(counters, Has.Count.EqualTo(Threads * FramesEach));
        Assert.That(counters.Distinct().Count(), Is.EqualTo(counters.Count), "each (KID, CTR) used once");
        var inOrder = produced.OrderBy(CounterOf).ToList(); // the replay window is 128 wide
        Assert.That(inOrder.Count(f => link.Unprotect(f).Status == SFrameStatus.Success), Is.EqualTo(counters.Count));
    }

    [Test]
    public void Counter_exhaustion_refuses_instead_of_wrapping()
    {
        using var keys = new StaticSFrameKeyProvider();
        keys.SetSendKey(1, new byte[16]);
        using var sender = new SFrameSender(keys, new SFrameSenderOptions { InitialCounter = ulong.MaxValue - 1 });
        var output = new byte[100];

        Assert.That(sender.Protect(new byte[8], [], output, out int written), Is.EqualTo(SFrameStatus.Success));
        Assert.That(CounterOf(output[..written]), Is.EqualTo(ulong.MaxValue - 1));
        Assert.That(sender.Protect(new byte[8], [], output, out written), Is.EqualTo(SFrameStatus.Success));
        Assert.That(CounterOf(output[..written]), Is.EqualTo(ulong.MaxValue));

        Array.Fill(output, (byte)0xEE);
        Assert.That(sender.Protect(new byte[8], [], output, out written), Is.EqualTo(SFrameStatus.CounterExhausted));
        Assert.That(written, Is.Zero);
        Assert.That(output, Is.All.EqualTo(0xEE));
        Assert.That(sender.Protect(new byte[8], [], output, out _), Is.EqualTo(SFrameStatus.CounterExhausted));
        Assert.That(sender.Statistics, Is.EqualTo(new SFrameSenderStatistics(2, 0, 2)));
        Assert.That(sender.GetNextCounter(1), Is.Null);

        // Rotating to a fresh KID resumes sending.
        keys.SetSendKey(2, new byte[16]);
        Assert.That(sender.Protect(new byte[8], [], output, out _), Is.EqualTo(SFrameStatus.Success));
    }

    [Test]
    public void Configured_counter_limit_is_honoured()
    {
        using var keys = new StaticSFrameKeyProvider();
        keys.SetSendKey(1, new byte[16]);
        using var sender = new SFrameSender(keys, new SFrameSenderOptions { MaxCounter = 2 });
        var output = new byte[100];
        var statuses = Enumerable.Range(0, 5).Select(_ => sender.Protect(new byte[8], [], output, out _)).ToArray();
        Assert.That(statuses, Is.EqualTo(new[]
        {
            SFrameStatus.Success, SFrameStatus.Success, SFrameStatus.Success,
            SFrameStatus.CounterExhausted, SFrameStatus.CounterExhausted,
        }));
    }

    [Test]
    public void Re_adding_a_removed_key_continues_the_counter()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, keyId: 3);
        Assert.That(CounterOf(link.Protect(new byte[4])), Is.Zero);
        Assert.That(CounterOf(link.Protect(new byte[4])), Is.EqualTo(1));

        link.SenderKeys.RemoveKey(3);
        Assert.That(link.Sender.Protect(new byte[4], [], new byte[64], out _), Is.EqualTo(SFrameStatus.KeyMissing));

        link.SenderKeys.SetSendKey(3, link.BaseKey);
        Assert.That(CounterOf(link.Protect(new byte[4])), Is.EqualTo(2), "same (key, KID): the nonce must not repeat");
    }

    [Test]
    public void Too_small_destination_does_not_consume_a_counter()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128);
        var output = new byte[20];
        Array.Fill(output, (byte)0xEE);
        Assert.That(link.Sender.Protect(new byte[10], [], output, out int written), Is.EqualTo(SFrameStatus.DestinationTooSmall));
        Assert.That(written, Is.Zero);
        Assert.That(output, Is.All.EqualTo(0xEE));
        Assert.That(CounterOf(link.Protect(new byte[10])), Is.Zero);
    }

    [Test]
    public void Overlapping_buffers_are_a_caller_error()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128);
        var buffer = new byte[100];
        Assert.Throws<ArgumentException>(() => link.Sender.Protect(buffer.AsSpan(0, 10), [], buffer, out _));
    }

    [Test]
    public void Invalid_options_are_refused()
    {
        using var keys = new StaticSFrameKeyProvider();
        Assert.Throws<ArgumentException>(() => _ = new SFrameSender(keys, new SFrameSenderOptions { CipherSuite = (SFrameCipherSuite)9 }));
        Assert.Throws<ArgumentException>(() => _ = new SFrameSender(keys, new SFrameSenderOptions { InitialCounter = 5, MaxCounter = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SFrameReceiver(keys, new SFrameReceiverOptions { ReplayWindowSize = 100 }));
    }

    [Test]
    public void Disposed_sender_and_receiver_refuse_work()
    {
        var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128);
        var protectedFrame = link.Protect(new byte[4]);
        link.Dispose();
        Assert.Throws<ObjectDisposedException>(() => link.Sender.Protect(new byte[4], [], new byte[64], out _));
        Assert.Throws<ObjectDisposedException>(() => link.Receiver.Unprotect(protectedFrame, [], new byte[64], out _));
    }
}
