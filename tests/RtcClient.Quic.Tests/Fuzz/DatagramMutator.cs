namespace RtcClient.Quic.Tests.Fuzz;

/// <summary>Seeded mutations of captured datagrams: bit flips, byte overwrites, truncation, extension, splicing, random bytes.</summary>
internal sealed class DatagramMutator
{
    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _corpus;

    public DatagramMutator(int seed, IReadOnlyList<byte[]> corpus)
    {
        _random = new Random(seed);
        _corpus = corpus;
    }

    /// <summary>Writes one mutated datagram into <paramref name="buffer"/> and returns its length.</summary>
    public int Next(Span<byte> buffer)
    {
        int strategy = _random.Next(10);
        if (strategy == 0)
        {
            // Pure noise, sometimes dressed as a long or short header.
            int noise = _random.Next(1, Math.Min(buffer.Length, 1500));
            _random.NextBytes(buffer[..noise]);
            if (noise > 5 && _random.Next(2) == 0)
            {
                buffer[0] = (byte)(0xC0 | (_random.Next(4) << 4) | (buffer[0] & 0x0F));
                buffer[1] = 0; buffer[2] = 0; buffer[3] = 0; buffer[4] = 1;
            }
            return noise;
        }
        var seed = _corpus[_random.Next(_corpus.Count)];
        int length = Math.Min(seed.Length, buffer.Length);
        seed.AsSpan(0, length).CopyTo(buffer);
        int mutations = 1 + _random.Next(4);
        for (int m = 0; m < mutations && length > 0; m++)
        {
            switch (_random.Next(7))
            {
                case 0: // flip a bit, biased towards the header where parsing happens before authentication
                    int at = _random.Next(2) == 0 ? _random.Next(Math.Min(length, 64)) : _random.Next(length);
                    buffer[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1: // interesting byte values
                    buffer[_random.Next(Math.Min(length, 64))] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                    break;
                case 2: // truncate
                    length = _random.Next(length);
                    break;
                case 3: // extend with noise
                    int extra = Math.Min(_random.Next(1, 200), buffer.Length - length);
                    _random.NextBytes(buffer.Slice(length, extra));
                    length += extra;
                    break;
                case 4: // splice the tail of another datagram (coalesced packets)
                    var other = _corpus[_random.Next(_corpus.Count)];
                    int from = _random.Next(other.Length);
                    int cut = _random.Next(length + 1);
                    int take = Math.Min(other.Length - from, buffer.Length - cut);
                    other.AsSpan(from, take).CopyTo(buffer[cut..]);
                    length = cut + take;
                    break;
                case 5: // overwrite a run with noise
                    int start = _random.Next(length);
                    _random.NextBytes(buffer.Slice(start, Math.Min(length - start, _random.Next(1, 16))));
                    break;
                default: // varint-shaped length fields: set the top two bits of a header byte
                    buffer[_random.Next(Math.Min(length, 32))] |= 0xC0;
                    break;
            }
        }
        return length;
    }

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x3F, 0x40, 0x7F, 0x80, 0xBF, 0xC0, 0xFF, 0x14, 0x08];
}
