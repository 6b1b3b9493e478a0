using RtcClient.Server.Media;

namespace RtcClient.Server.Tests.Media;

public class PendingMediaTests
{
    [Test]
    public void KeepsTheNewestInOrderAndHandsThemOverWithTheirLengthsAndTimes()
    {
        var pending = new PendingMedia();
        for (byte i = 0; i < 11; i++)
            Assert.That(pending.Add(new byte[] { i, i, i }.AsSpan(0, 1 + i % 3), 100 + i), Is.EqualTo(i >= PendingMedia.Capacity), $"datagram {i} pushes one out once full");
        var taken = pending.TakeAll();
        Assert.That(taken.Select(t => (t.Buffer[0], t.Length, t.Ticks)),
            Is.EqualTo(Enumerable.Range(11 - PendingMedia.Capacity, PendingMedia.Capacity).Select(i => ((byte)i, 1 + i % 3, 100L + i))));
        Assert.That((pending.Count, pending.TakeAll().Length), Is.EqualTo((0, 0)));
    }

    [Test]
    public void ALegWhoseFarEndNeverComesOverwritesWithoutAllocating()
    {
        var pending = new PendingMedia();
        var datagram = new byte[173];
        for (int i = 0; i < PendingMedia.Capacity; i++)
            pending.Add(datagram, i); // warm-up: each slot gets its buffer
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            pending.Add(datagram, i);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(pending.Count, Is.EqualTo(PendingMedia.Capacity));
    }
}
