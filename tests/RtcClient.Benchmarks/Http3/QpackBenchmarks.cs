using System.Buffers;
using BenchmarkDotNet.Attributes;
using RtcClient.Http3;
using RtcClient.Http3.Frames;
using RtcClient.Http3.Qpack;

namespace RtcClient.Benchmarks.Http3;

/// <summary>
/// HTTP/3 codec hot paths: Huffman, encoding a typical request field section (static table, dynamic table
/// references), decoding it, and parsing frame headers.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class QpackBenchmarks
{
    private static readonly HeaderField[] s_request =
    [
        new(":method", "POST"), new(":scheme", "https"), new(":authority", "rtc.example.com"), new(":path", "/v1/calls/1234/events"),
        new("content-type", "application/json"), new("user-agent", "RtcClient/1.0"), new("x-call-id", "c0ffee-42"),
    ];

    private readonly byte[] _huffman = new byte[64];
    private readonly byte[] _decoded = new byte[64];
    private readonly ArrayBufferWriter<byte> _section = new(512);
    private readonly List<HeaderField> _fields = new(16);
    private byte[] _encodedStatic = [];
    private byte[] _encodedDynamic = [];
    private readonly byte[][] _freshPaths = new byte[1024][];
    private int _next;
    private QpackEncoder _staticEncoder = null!;
    private QpackEncoder _dynamicEncoder = null!;
    private QpackDecoder _decoder = null!;
    private readonly byte[] _frames = [0x01, 0x40, 0x80, 0x00, 0x80, 0x01, 0x00, 0x00];

    [GlobalSetup]
    public void Setup()
    {
        _staticEncoder = new QpackEncoder(0, 0);
        _dynamicEncoder = new QpackEncoder(4096, 16);
        _dynamicEncoder.SetDynamicTableCapacity(4096);
        _decoder = new QpackDecoder(4096, 16, 65536);
        var w = new ArrayBufferWriter<byte>();
        _staticEncoder.EncodeFieldSection(0, s_request, w);
        _encodedStatic = w.WrittenSpan.ToArray();
        w.Clear();
        _dynamicEncoder.EncodeFieldSection(0, s_request, w);
        _decoder.ProcessEncoderInstructions(_dynamicEncoder.EncoderStream);
        _dynamicEncoder.ClearEncoderStream();
        // Acknowledge the insertions so later sections reference them without blocking.
        var acks = new ArrayBufferWriter<byte>();
        _decoder.WriteInsertCountIncrement(acks);
        _dynamicEncoder.ProcessDecoderInstructions(acks.WrittenSpan);
        w.Clear();
        _dynamicEncoder.EncodeFieldSection(4, s_request, w);
        _encodedDynamic = w.WrittenSpan.ToArray();
        for (int i = 0; i < _freshPaths.Length; i++)
        {
            var fields = (HeaderField[])s_request.Clone();
            fields[3] = new(":path", "/v1/calls/" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "/events");
            w.Clear();
            _staticEncoder.EncodeFieldSection(0, fields, w);
            _freshPaths[i] = w.WrittenSpan.ToArray();
        }
    }

    /// <summary>Huffman-encodes and decodes "rtc.example.com".</summary>
    [Benchmark]
    public int HuffmanRoundTrip()
    {
        int n = Huffman.Encode("rtc.example.com", _huffman);
        return Huffman.Decode(_huffman.AsSpan(0, n), _decoded);
    }

    /// <summary>Encodes the 7-field request with the static table and literals (Huffman).</summary>
    [Benchmark]
    public int EncodeStaticOnly()
    {
        _section.Clear();
        _staticEncoder.EncodeFieldSection(0, s_request, _section);
        return _section.WrittenCount;
    }

    /// <summary>Encodes the request when all non-static fields are acknowledged dynamic entries (no insertions).</summary>
    [Benchmark]
    public int EncodeDynamicReferences()
    {
        _section.Clear();
        _dynamicEncoder.EncodeFieldSection(8, s_request, _section);
        // The section stays outstanding until acknowledged: acknowledge it (Section Acknowledgment, stream 8).
        _dynamicEncoder.ProcessDecoderInstructions([0x88]);
        return _section.WrittenCount;
    }

    /// <summary>Decodes the static-only section (its field strings repeat, so they come from the decoder's cache).</summary>
    [Benchmark]
    public int DecodeStaticOnly()
    {
        _fields.Clear();
        _decoder.DecodeFieldSection(_encodedStatic, _fields);
        return _fields.Count;
    }

    /// <summary>
    /// Decodes a static-only section whose :path is new each time (1024 distinct paths in turn): the path string is
    /// the one allocation; every other field string comes from the decoder's cache.
    /// </summary>
    [Benchmark]
    public int DecodeFreshPath()
    {
        _fields.Clear();
        _decoder.DecodeFieldSection(_freshPaths[_next++ & 1023], _fields);
        return _fields.Count;
    }

    /// <summary>Decodes the dynamic-reference section (entries are shared, strings not copied).</summary>
    [Benchmark]
    public int DecodeDynamicReferences()
    {
        _fields.Clear();
        _decoder.DecodeFieldSection(_encodedDynamic, _fields);
        return _fields.Count;
    }

    /// <summary>Parses two frame headers (HEADERS with a 2-byte length, DATA).</summary>
    [Benchmark]
    public long FrameHeaders()
    {
        Http3FrameReader.TryReadHeader(_frames, out long t1, out long l1, out int h1);
        Http3FrameReader.TryReadHeader(_frames.AsSpan(h1 + 2), out long t2, out long l2, out _);
        return t1 + l1 + t2 + l2;
    }
}
