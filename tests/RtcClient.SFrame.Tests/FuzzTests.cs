using System.Security.Cryptography;

namespace RtcClient.SFrame.Tests;

/// <summary>Seeded random input against the header parser and the receiver: nothing may throw.</summary>
public class FuzzTests
{
    private const int Iterations = 20_000;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Header_parser_never_throws_and_valid_headers_are_canonical(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[24];
        Span<byte> reencoded = stackalloc byte[SFrameHeader.MaxLength];
        int valid = 0;
        for (int i = 0; i < Iterations * 5; i++)
        {
            int length = random.Next(0, buffer.Length + 1);
            random.NextBytes(buffer.AsSpan(0, length));
            var input = buffer.AsSpan(0, length);

            var status = SFrameHeader.TryDecode(input, out var header, out int consumed);

            Assert.That(Enum.IsDefined(status), Is.True);
            if (status == SFrameHeaderStatus.Valid)
            {
                valid++;
                Assert.That(consumed, Is.InRange(1, Math.Min(length, SFrameHeader.MaxLength)));
                header.TryEncode(reencoded, out int written);
                Assert.That(reencoded[..written].SequenceEqual(input[..consumed]), Is.True, "strict parsing accepts only the minimal encoding");
            }
            else
            {
                Assert.That(consumed, Is.Zero);
            }
        }

        Assert.That(valid, Is.GreaterThan(Iterations), "the fuzzer reaches the valid path too");
    }

    [TestCaseSource(typeof(SFrameCipherSuites), nameof(SFrameCipherSuites.All))]
    public void Receiver_never_throws_on_mutated_or_random_frames(SFrameCipherSuite suite)
    {
        var random = new Random((int)suite);
        using var link = new OneWayLink(suite, keyId: 0x42);
        link.ReceiverKeys.AddReceiveKey(3, RandomNumberGenerator.GetBytes(16)); // a second, wrong-key KID
        var genuine = Enumerable.Range(0, 32).Select(i => link.Protect(RandomNumberGenerator.GetBytes(random.Next(0, 300)))).ToArray();
        var output = new byte[1024];
        int successes = 0;

        for (int i = 0; i < Iterations; i++)
        {
            var input = Mutate(genuine[random.Next(genuine.Length)], random);
            var metadata = random.Next(8) == 0 ? RandomNumberGenerator.GetBytes(random.Next(1, 40)) : [];

            var status = link.Receiver.Unprotect(input, metadata, output, out int written);

            Assert.That(status, Is.Not.EqualTo(SFrameStatus.DestinationTooSmall));
            Assert.That(written, status == SFrameStatus.Success ? Is.GreaterThanOrEqualTo(0) : Is.Zero);
            if (status == SFrameStatus.Success)
            {
                successes++;
            }
        }

        var stats = link.Receiver.Statistics;
        Assert.That(stats.FramesDecrypted + stats.FramesDropped, Is.EqualTo(Iterations), "every input is accounted for");
        Assert.That(stats.FramesDecrypted, Is.EqualTo(successes));
        Assert.That(successes, Is.LessThanOrEqualTo(genuine.Length), "only unmodified genuine frames, each at most once");
        Assert.That(stats.AuthenticationFailures, Is.GreaterThan(0));
        Assert.That(stats.MalformedFrames, Is.GreaterThan(0));
        Assert.That(stats.KeyMissing, Is.GreaterThan(0));
        Assert.That(stats.Replays, Is.GreaterThan(0));
    }

    private static byte[] Mutate(byte[] frame, Random random)
    {
        switch (random.Next(7))
        {
            case 0:
                return frame; // unmodified: first delivery succeeds, later ones are replays
            case 1:
            {
                var copy = (byte[])frame.Clone();
                for (int n = random.Next(1, 4); n > 0 && copy.Length > 0; n--)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            }

            case 2:
                return frame[..random.Next(frame.Length + 1)];
            case 3:
            {
                var extended = new byte[frame.Length + random.Next(1, 20)];
                frame.CopyTo(extended, 0);
                random.NextBytes(extended.AsSpan(frame.Length));
                return extended;
            }

            case 4:
            {
                var junk = new byte[random.Next(0, 64)];
                random.NextBytes(junk);
                return junk;
            }

            case 5:
            {
                // A valid header with a random KID and CTR over the genuine body.
                var header = new SFrameHeader((ulong)random.Next(0, 8) switch { 0 => 3, 1 => 0x42, _ => (ulong)random.NextInt64() }, (ulong)random.NextInt64());
                SFrameHeader.TryDecode(frame, out _, out int oldLength);
                var rebuilt = new byte[header.EncodedLength + frame.Length - oldLength];
                header.TryEncode(rebuilt, out int written);
                frame.AsSpan(oldLength).CopyTo(rebuilt.AsSpan(written));
                return rebuilt;
            }

            default:
            {
                var copy = (byte[])frame.Clone();
                copy[0] = (byte)random.Next(256);
                return copy;
            }
        }
    }
}
