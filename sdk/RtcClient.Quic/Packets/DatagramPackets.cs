namespace RtcClient.Quic.Packets;

/// <summary>
/// Iterates the packets coalesced in one UDP datagram (RFC 9000 section 12.2), zero-allocation:
/// <c>foreach (PacketHeader packet in new DatagramPackets(datagram, cidLength)) { ... }</c>.
/// Each long header packet ends where its Length field says; a short header packet, Retry or Version
/// Negotiation packet takes the rest of the datagram. Iteration stops at the first packet that does not
/// parse (the rest of the datagram is dropped, <see cref="Enumerator.StoppedEarly"/> tells). Packets whose
/// Destination Connection ID differs from the first packet's are skipped, as the RFC advises.
/// </summary>
/// <param name="datagram">The UDP payload.</param>
/// <param name="shortHeaderConnectionIdLength">Length of this endpoint's connection IDs, for short headers.</param>
public readonly ref struct DatagramPackets(ReadOnlySpan<byte> datagram, int shortHeaderConnectionIdLength)
{
    private readonly ReadOnlySpan<byte> _datagram = datagram;

    /// <summary>Starts the iteration.</summary>
    public Enumerator GetEnumerator() => new(_datagram, shortHeaderConnectionIdLength);

    /// <summary>Iterator over coalesced packets.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _datagram;
        private readonly int _connectionIdLength;
        private ReadOnlySpan<byte> _firstDestinationConnectionId;
        private int _offset;
        private bool _first;
        private PacketHeader _current;

        internal Enumerator(ReadOnlySpan<byte> datagram, int connectionIdLength)
        {
            _datagram = datagram;
            _connectionIdLength = connectionIdLength;
            _first = true;
        }

        /// <summary>The current packet.</summary>
        public readonly PacketHeader Current => _current;

        /// <summary>Offset of the current packet within the datagram.</summary>
        public int CurrentOffset { get; private set; }

        /// <summary>True when iteration ended on bytes that did not parse as a packet.</summary>
        public bool StoppedEarly { get; private set; }

        /// <summary>Advances to the next packet.</summary>
        public bool MoveNext()
        {
            while (_offset < _datagram.Length)
            {
                if (!PacketHeader.TryParse(_datagram[_offset..], _connectionIdLength, out PacketHeader header))
                {
                    StoppedEarly = true;
                    _offset = _datagram.Length;
                    return false;
                }

                CurrentOffset = _offset;
                _offset += header.Packet.Length;
                if (_first)
                {
                    _first = false;
                    _firstDestinationConnectionId = header.DestinationConnectionId;
                }
                else if (!header.DestinationConnectionId.SequenceEqual(_firstDestinationConnectionId))
                {
                    continue;
                }

                _current = header;
                return true;
            }

            return false;
        }
    }
}
