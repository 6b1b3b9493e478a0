using System.Buffers.Binary;
using System.Text;
using RtcClient.Media.Codecs;

namespace RtcClient.Media.Io;

/// <summary>
/// Writes Opus packets into an Ogg Opus file (RFC 7845): an OpusHead page (beginning of stream), an
/// OpusTags page, then audio pages whose granule position is the 48 kHz sample count of all packets
/// completed on the page, pre-skip included. Pages hold up to one second of audio (255 lacing values at
/// most); the last page, written on dispose, carries the end-of-stream flag.
/// </summary>
public sealed class OggOpusWriter : IDisposable
{
    private const int MaxSegments = 255;
    private const int PacketsPerPage = 50;
    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly uint serial;
    private readonly MemoryStream body = new();
    private readonly List<byte> lacing = [];
    private uint sequence;
    private long granule;
    private int packetsOnPage;
    private bool disposed;

    /// <summary>
    /// Starts a stream for <paramref name="channels"/> channels with <paramref name="preSkip"/> samples
    /// (48 kHz) to drop at the start (the encoder lookahead) and the original input rate for players.
    /// </summary>
    public OggOpusWriter(Stream stream, int channels, int preSkip, int inputSampleRate = 48000, uint serial = 0x52746343, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (channels is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(channels), "channel mapping family 0 allows 1 or 2 channels");
        ArgumentOutOfRangeException.ThrowIfNegative(preSkip);
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        this.serial = serial;

        Span<byte> head = stackalloc byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;                                  // version
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head[10..], (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head[12..], (uint)inputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(head[16..], 0); // output gain
        head[18] = 0;                                 // mapping family 0: mono/stereo, no table
        WritePage(head, 0, headerType: 0x02);

        var vendor = Encoding.UTF8.GetBytes("RtcClient");
        var tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendor.Length);
        vendor.CopyTo(tags, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(12 + vendor.Length), 0); // no user comments
        WritePage(tags, 0, headerType: 0);
    }

    /// <summary>Creates a file at <paramref name="path"/>.</summary>
    public static OggOpusWriter Create(string path, int channels, int preSkip, int inputSampleRate = 48000) =>
        new(File.Create(path), channels, preSkip, inputSampleRate);

    /// <summary>Appends one Opus packet (its duration is read from the TOC byte).</summary>
    public void WritePacket(ReadOnlySpan<byte> packet)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        int samples = OpusPacket.GetSamples48k(packet);
        if (samples < 0)
            throw new ArgumentException("not a valid Opus packet", nameof(packet));
        int segments = packet.Length / 255 + 1;
        // A full page is written only once another packet follows, so the last page can carry end-of-stream.
        if (lacing.Count + segments > MaxSegments || packetsOnPage >= PacketsPerPage)
            FlushPage(eos: false);
        body.Write(packet);
        for (int i = 0; i < packet.Length / 255; i++)
            lacing.Add(255);
        lacing.Add((byte)(packet.Length % 255));
        granule += samples;
        packetsOnPage++;
    }

    private void FlushPage(bool eos)
    {
        if (lacing.Count == 0 && !eos)
            return;
        WritePage(body.GetBuffer().AsSpan(0, (int)body.Length), granule, (byte)(eos ? 0x04 : 0), lacing);
        body.SetLength(0);
        lacing.Clear();
        packetsOnPage = 0;
    }

    private void WritePage(ReadOnlySpan<byte> packet, long granulePosition, byte headerType)
    {
        var single = new List<byte>();
        for (int i = 0; i < packet.Length / 255; i++)
            single.Add(255);
        single.Add((byte)(packet.Length % 255));
        WritePage(packet, granulePosition, headerType, single);
    }

    private void WritePage(ReadOnlySpan<byte> data, long granulePosition, byte headerType, List<byte> segments)
    {
        var page = new byte[27 + segments.Count + data.Length];
        "OggS"u8.CopyTo(page);
        page[4] = 0;
        page[5] = headerType;
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granulePosition);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), sequence++);
        page[26] = (byte)segments.Count;
        for (int i = 0; i < segments.Count; i++)
            page[27 + i] = segments[i];
        data.CopyTo(page.AsSpan(27 + segments.Count));
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc.Compute(page));
        stream.Write(page);
    }

    /// <summary>Writes the last page (end of stream) and closes the stream unless asked not to.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        FlushPage(eos: true);
        stream.Flush();
        body.Dispose();
        if (!leaveOpen)
            stream.Dispose();
    }
}
