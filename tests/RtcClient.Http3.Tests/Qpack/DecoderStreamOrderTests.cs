using System.Buffers;
using RtcClient.Http3.Qpack;
using RtcClient.Http3.Transport;
using RtcClient.Quic;

namespace RtcClient.Http3.Tests.Qpack;

/// <summary>
/// The decoder stream race: a Section Acknowledgment must never overtake an Insert Count Increment computed before
/// it. The encoder/decoder pair is driven step by step with the decoder stream's write held, so the interleaving that
/// used to fail one connection in 60-180 happens every time.
/// </summary>
public class DecoderStreamOrderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task AcknowledgmentsReportedWhileAnIncrementIsInFlight_ReachTheEncoderInAValidOrder()
    {
        var (encoder, decoder) = Pair();
        var wire = new HeldStream();
        var writer = new QpackDecoderStreamWriter(decoder);
        await writer.AttachAsync(wire, CancellationToken.None);

        // Section A (stream 0) inserts two entries: Required Insert Count 2.
        byte[] a = Encode(encoder, 0, [new("x-a", "1"), new("x-b", "2")]);
        Deliver(encoder, decoder);
        wire.Hold();
        Task increment = writer.TableGrewAsync(CancellationToken.None).AsTask();
        Assert.That(increment.IsCompleted, Is.False, "the Insert Count Increment (2) is built and its write is held");

        // Meanwhile section B (stream 4) inserts a third entry, and both sections are decoded and acknowledged.
        byte[] b = Encode(encoder, 4, [new("x-c", "3")]);
        Deliver(encoder, decoder);
        Assert.That(writer.TableGrewAsync(CancellationToken.None).AsTask().IsCompleted, Is.True, "the writer in flight takes it");
        var fields = new List<HeaderField>();
        Assert.That(decoder.DecodeFieldSection(b, fields), Is.EqualTo(3));
        Assert.That(writer.SectionDecodedAsync(4, 3, CancellationToken.None).AsTask().IsCompleted, Is.True);
        Assert.That(decoder.DecodeFieldSection(a, fields), Is.EqualTo(2));
        Assert.That(writer.SectionDecodedAsync(0, 2, CancellationToken.None).AsTask().IsCompleted, Is.True);

        wire.Release();
        await increment.WaitAsync(Timeout);
        byte[] sent = wire.Written;
        Assert.That(encoder.ProcessDecoderInstructions(sent), Is.EqualTo(sent.Length));
        Assert.That(encoder.KnownReceivedCount, Is.EqualTo(3));
        Assert.That(encoder.BlockedStreamCount, Is.Zero, "both sections acknowledged");
    }

    [Test]
    public async Task AcknowledgmentsReportedForLater_AreWrittenSoon_InAValidOrder()
    {
        var (encoder, decoder) = Pair();
        var wire = new HeldStream();
        var writer = new QpackDecoderStreamWriter(decoder);
        await writer.AttachAsync(wire, CancellationToken.None);
        var sections = new[] { 0L, 4, 8 }.Select(id => (Id: id, Bytes: Encode(encoder, id, [new("x-s" + id, "v")]))).ToArray();
        Deliver(encoder, decoder);
        await writer.TableGrewAsync(CancellationToken.None);
        foreach (var (id, bytes) in sections)
            writer.SectionDecoded(id, decoder.DecodeFieldSection(bytes, []), CancellationToken.None);

        // The acknowledgments go out from the thread pool: wait (bounded) until the encoder has all three.
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            byte[] sent = wire.Written;
            var (check, consumed) = Replay(sections.Select(s => s.Id), sent);
            Assert.That(consumed, Is.EqualTo(sent.Length), "whole instructions only");
            // Section Acknowledgment of stream N is one byte here: 0x80 | N.
            if (sections.All(x => sent.Contains((byte)(0x80 | x.Id))))
            {
                Assert.That(check.KnownReceivedCount, Is.EqualTo(3));
                break;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "acknowledgments never written");
            await Task.Delay(10);
        }
    }

    // A fresh encoder that encoded the same sections, fed the decoder stream bytes written so far.
    private static (QpackEncoder Encoder, int Consumed) Replay(IEnumerable<long> streamIds, byte[] decoderStream)
    {
        var (encoder, _) = Pair();
        foreach (long id in streamIds)
            Encode(encoder, id, [new("x-s" + id, "v")]);
        return (encoder, encoder.ProcessDecoderInstructions(decoderStream));
    }

    [Test]
    public void AnIncrementOvertakenByALaterAcknowledgment_IsWhatTheEncoderRejects()
    {
        // The order the old code could put on the wire: increment computed first, acknowledgment sent first.
        var (encoder, decoder) = Pair();
        byte[] section = Encode(encoder, 0, [new("x-a", "1"), new("x-b", "2"), new("x-c", "3")]);
        Deliver(encoder, decoder);
        var increment = new ArrayBufferWriter<byte>();
        Assert.That(decoder.WriteInsertCountIncrement(increment), Is.True);
        long ric = decoder.DecodeFieldSection(section, []);
        var acknowledgment = new ArrayBufferWriter<byte>();
        decoder.WriteSectionAcknowledgment(0, ric, acknowledgment);

        encoder.ProcessDecoderInstructions(acknowledgment.WrittenSpan);
        var ex = Assert.Throws<Http3ProtocolException>(() => encoder.ProcessDecoderInstructions(increment.WrittenSpan));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.QpackDecoderStreamError));
    }

    [Test]
    public async Task SeededInterleavings_AlwaysSatisfyTheEncoder()
    {
        var rng = new Random(4_4_3);
        for (int round = 0; round < 100; round++)
        {
            var (encoder, decoder) = Pair();
            var wire = new HeldStream();
            var writer = new QpackDecoderStreamWriter(decoder);
            await writer.AttachAsync(wire, CancellationToken.None);
            var pending = new List<Task>();
            var undecoded = new List<(long StreamId, byte[] Section)>();
            for (int step = 0; step < 12; step++)
            {
                switch (rng.Next(4))
                {
                    case 0:
                        long id = step * 4;
                        undecoded.Add((id, Encode(encoder, id, [new("x-k" + rng.Next(6), "v" + rng.Next(4))])));
                        Deliver(encoder, decoder);
                        pending.Add(writer.TableGrewAsync(CancellationToken.None).AsTask());
                        break;
                    case 1 when undecoded.Count > 0:
                        var (streamId, bytes) = undecoded[rng.Next(undecoded.Count)];
                        undecoded.RemoveAll(u => u.StreamId == streamId);
                        long ric = decoder.DecodeFieldSection(bytes, []);
                        if (ric > 0)
                            pending.Add(writer.SectionDecodedAsync(streamId, ric, CancellationToken.None).AsTask());
                        break;
                    case 2:
                        wire.Hold();
                        break;
                    default:
                        wire.Release();
                        break;
                }
            }

            wire.Release();
            await Task.WhenAll(pending).WaitAsync(Timeout);
            byte[] sent = wire.Written;
            Assert.That(encoder.ProcessDecoderInstructions(sent), Is.EqualTo(sent.Length), $"round {round}");
            Assert.That(encoder.KnownReceivedCount, Is.EqualTo(encoder.Table.InsertCount), $"round {round}: every insertion acknowledged");
        }
    }

    private static (QpackEncoder Encoder, QpackDecoder Decoder) Pair()
    {
        var encoder = new QpackEncoder(4096, 100) { UseHuffman = false };
        encoder.SetDynamicTableCapacity(4096);
        var decoder = new QpackDecoder(4096, 100, 65536);
        return (encoder, decoder);
    }

    private static byte[] Encode(QpackEncoder encoder, long streamId, HeaderField[] fields)
    {
        var w = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(streamId, fields, w);
        return w.WrittenSpan.ToArray();
    }

    // The encoder stream: everything the encoder wrote reaches the decoder.
    private static void Deliver(QpackEncoder encoder, QpackDecoder decoder)
    {
        Assert.That(decoder.ProcessEncoderInstructions(encoder.EncoderStream), Is.EqualTo(encoder.EncoderStream.Length));
        encoder.ClearEncoderStream();
    }

    /// <summary>A decoder stream whose writes can be held, recording the bytes in wire order.</summary>
    private sealed class HeldStream : IH3Stream
    {
        private readonly MemoryStream _written = new();
        private TaskCompletionSource? _held;

        public long Id => 11;
        public bool IsBidirectional => false;
        public byte[] Written { get { lock (_written) return _written.ToArray(); } }

        public void Hold() => _held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release()
        {
            var h = _held;
            _held = null;
            h?.TrySetResult();
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken)
        {
            if (_held is { } h)
                await h.Task.WaitAsync(cancellationToken);
            lock (_written)
                _written.Write(buffer.Span);
        }

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();
        public void CompleteWrites() { }
        public void Abort(QuicAbortDirection direction, long errorCode) { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
