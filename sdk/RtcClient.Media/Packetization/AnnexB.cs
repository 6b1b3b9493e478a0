namespace RtcClient.Media.Packetization;

/// <summary>Finds NAL units in an H.264 Annex-B byte stream (start codes 00 00 01 / 00 00 00 01).</summary>
public static class AnnexB
{
    /// <summary>
    /// Finds the next NAL unit at or after <paramref name="offset"/>; returns false when there is none.
    /// <paramref name="start"/>/<paramref name="length"/> exclude the start code and trailing zero bytes.
    /// </summary>
    public static bool TryFindNext(ReadOnlySpan<byte> stream, ref int offset, out int start, out int length)
    {
        start = length = 0;
        while (true)
        {
            int begin = FindStartCode(stream, offset);
            if (begin < 0)
                return false;
            start = begin + 3;
            int next = FindStartCode(stream, start);
            int end = next < 0 ? stream.Length : next;
            while (end > start && stream[end - 1] == 0)
                end--; // zero_byte of a 4-byte start code, or trailing_zero_8bits
            length = end - start;
            offset = next < 0 ? stream.Length : next;
            if (length > 0)
                return true;
        }
    }

    private static int FindStartCode(ReadOnlySpan<byte> stream, int from)
    {
        for (int i = from; i + 2 < stream.Length; i++)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
                return i;
        }
        return -1;
    }
}
