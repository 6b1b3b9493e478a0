using System.Security.Cryptography;
using RtcClient.Quic.Connection;

namespace RtcClient.Quic.Tests.Simulation;

/// <summary>Application logic for simulations: the client sends a payload on one stream, the server reads it all.</summary>
internal sealed class StreamTransfer
{
    private readonly SimulatedNetwork _net;
    private readonly byte[] _payload;
    private readonly bool _bidirectional;
    private readonly byte[] _readBuffer = new byte[65536];
    private readonly IncrementalHash _received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _written;
    private long _streamId = -1;

    public StreamTransfer(SimulatedNetwork net, int size, int seed = 5, bool bidirectional = true)
    {
        _net = net;
        _bidirectional = bidirectional;
        _payload = new byte[size];
        new Random(seed).NextBytes(_payload);
    }

    public long ReceivedBytes { get; private set; }
    public bool Finished { get; private set; }
    public bool HashMatches => Finished && _received.GetCurrentHash().AsSpan().SequenceEqual(SHA256.HashData(_payload));

    public void Step()
    {
        var client = _net.ClientCore;
        if (_streamId < 0 && client.IsHandshakeComplete) _streamId = client.OpenStream(_bidirectional);
        if (_streamId >= 0 && _written < _payload.Length)
        {
            int n = client.StreamWrite(_streamId, _payload.AsSpan((int)_written), fin: true);
            _written += n;
        }
        if (_net.Server.Core is null || _streamId < 0 || Finished) return;
        for (int i = 0; i < 1000; i++)
        {
            var status = _net.ServerCore.StreamRead(_streamId, _readBuffer, out int read, out _);
            if (read > 0)
            {
                _received.AppendData(_readBuffer, 0, read);
                ReceivedBytes += read;
            }
            if (status == QuicConnectionCore.ReadStatus.Finished || (status == QuicConnectionCore.ReadStatus.Data && ReceivedBytes == _payload.Length && _net.ServerCore.StreamReadable(_streamId) == 0 && read == 0))
            {
                if (status == QuicConnectionCore.ReadStatus.Finished) Finished = true;
            }
            if (read == 0) break;
        }
    }
}
