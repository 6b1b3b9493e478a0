using System.Buffers;
using RtcClient.Http3.Capsules;
using RtcClient.Http3.Frames;
using RtcClient.Http3.Qpack;

namespace RtcClient.Http3.Tests;

/// <summary>Seeded, bounded fuzzing: hostile bytes only ever produce <see cref="Http3ProtocolException"/>.</summary>
public class FuzzTests
{
    private const int Iterations = 20000;

    [Test]
    public void QpackDecoders_OnlyThrowProtocolErrors()
    {
        var rng = new Random(12345);
        // Seeds: valid sections and instructions, mutated.
        var seeds = new List<byte[]>
        {
            Hex.Parse("0000510b2f696e6465782e68746d6c"), Hex.Parse("03811011"), Hex.Parse("050080c181"),
            Hex.Parse("3fbd01c00f7777772e6578616d706c652e636f6d"), Hex.Parse("4a637573746f6d2d6b65790c637573746f6d2d76616c7565"),
            Hex.Parse("0000d1d7508aa0e41d139d09b8f01e07"),
        };
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = Mutate(rng, seeds[rng.Next(seeds.Count)]);
            var decoder = new QpackDecoder(220, 4, 4096);
            var encoder = new QpackEncoder(220, 4);
            Guard(() => decoder.ProcessEncoderInstructions(input));
            Guard(() => decoder.DecodeFieldSection(input, []));
            Guard(() => encoder.ProcessDecoderInstructions(input));
            Assert.That(decoder.Table.Size, Is.LessThanOrEqualTo(220));
        }
    }

    [Test]
    public void FrameAndCapsuleParsers_OnlyThrowProtocolErrors()
    {
        var rng = new Random(9114);
        var seeds = new List<byte[]> { Hex.Parse("0406014000000601"), Hex.Parse("070104"), Hex.Parse("0504050000d1"), Hex.Parse("6843070000123462796500") };
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = Mutate(rng, seeds[rng.Next(seeds.Count)]);
            Guard(() =>
            {
                if (Http3FrameReader.TryReadHeader(input, out long type, out long len, out int h) && len <= input.Length - h)
                {
                    var payload = input.AsSpan(h, (int)len);
                    Http3FrameReader.CheckAllowed(type, rng.Next(2) == 0);
                    if (type == Http3FrameType.Settings)
                        Http3Settings.Parse(payload);
                    else if (type == Http3FrameType.PushPromise)
                        Http3FrameReader.ReadPushPromise(payload, out _);
                    else
                        Http3FrameReader.ReadVarIntPayload(payload);
                }
            });
            Guard(() =>
            {
                if (CapsuleCodec.TryReadHeader(input, 2048, out long t, out long l, out int h) && l <= input.Length - h && t == CapsuleType.WebTransportCloseSession)
                    CapsuleCodec.ReadCloseSession(input.AsSpan(h, (int)l));
                HttpDatagram.Parse(input, out _);
            });
        }
    }

    private static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Http3ProtocolException)
        {
        }
    }

    private static byte[] Mutate(Random rng, byte[] seed)
    {
        var list = new List<byte>(seed);
        int edits = rng.Next(1, 6);
        for (int e = 0; e < edits; e++)
        {
            switch (rng.Next(4))
            {
                case 0 when list.Count > 0:
                    list[rng.Next(list.Count)] = (byte)rng.Next(256);
                    break;
                case 1:
                    list.Insert(rng.Next(list.Count + 1), (byte)rng.Next(256));
                    break;
                case 2 when list.Count > 0:
                    list.RemoveAt(rng.Next(list.Count));
                    break;
                default:
                    list.AddRange(Enumerable.Range(0, rng.Next(8)).Select(_ => (byte)rng.Next(256)));
                    break;
            }
        }

        return [.. list];
    }
}
