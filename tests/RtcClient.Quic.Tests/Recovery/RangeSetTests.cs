using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Tests.Recovery;

public class RangeSetTests
{
    private static List<(long, long)> Ranges(RangeSet set) =>
        Enumerable.Range(0, set.Count).Select(i => (set.StartAt(i), set.EndAt(i))).ToList();

    [Test]
    public void Adjacent_and_overlapping_ranges_merge()
    {
        var set = new RangeSet();
        set.Add(10, 20);
        set.Add(30, 40);
        set.Add(20, 30);
        Assert.That(Ranges(set), Is.EqualTo(new[] { (10L, 40L) }));
        set.Add(0, 5);
        set.Add(3, 12);
        Assert.That(Ranges(set), Is.EqualTo(new[] { (0L, 40L) }));
        Assert.That(set.Add(5, 6), Is.False, "already contained");
    }

    [Test]
    public void Remove_splits_and_trims()
    {
        var set = new RangeSet();
        set.Add(0, 100);
        set.Remove(10, 20);
        set.Remove(90, 200);
        Assert.That(Ranges(set), Is.EqualTo(new[] { (0L, 10L), (20L, 90L) }));
        set.RemoveBelow(50);
        Assert.That(Ranges(set), Is.EqualTo(new[] { (50L, 90L) }));
    }

    [Test]
    public void Cap_drops_the_lowest_ranges_and_remembers_where()
    {
        var set = new RangeSet(maxRanges: 3);
        for (long i = 0; i < 5; i++)
        {
            set.Add(i * 10, i * 10 + 1);
        }
        Assert.That(Ranges(set), Is.EqualTo(new[] { (20L, 21L), (30L, 31L), (40L, 41L) }));
        Assert.That(set.ForgottenBelow, Is.EqualTo(11));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Random_operations_agree_with_a_set_of_integers(int seed)
    {
        var random = new Random(seed);
        var set = new RangeSet();
        var model = new HashSet<long>();
        for (int step = 0; step < 3000; step++)
        {
            long start = random.Next(0, 500);
            long end = start + random.Next(0, 20);
            if (random.Next(3) == 0)
            {
                set.Remove(start, end);
                for (long v = start; v < end; v++)
                {
                    model.Remove(v);
                }
            }
            else
            {
                set.Add(start, end);
                for (long v = start; v < end; v++)
                {
                    model.Add(v);
                }
            }
            long probe = random.Next(0, 520);
            Assert.That(set.Contains(probe), Is.EqualTo(model.Contains(probe)));
        }
        var members = Ranges(set).SelectMany(r => Enumerable.Range((int)r.Item1, (int)(r.Item2 - r.Item1)).Select(v => (long)v)).ToList();
        Assert.That(members, Is.EqualTo(model.OrderBy(v => v).ToList()));
        // Ranges are disjoint and non-adjacent.
        for (int i = 1; i < set.Count; i++)
        {
            Assert.That(set.StartAt(i), Is.GreaterThan(set.EndAt(i - 1)));
        }
        for (long v = 0; v < 520; v++)
        {
            long next = set.NextStartAfter(v);
            long expected = Enumerable.Range(0, set.Count).Select(set.StartAt).Where(s => s > v).DefaultIfEmpty(long.MaxValue).Min();
            Assert.That(next, Is.EqualTo(expected));
        }
    }
}
