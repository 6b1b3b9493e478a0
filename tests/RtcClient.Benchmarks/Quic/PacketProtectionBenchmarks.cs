using BenchmarkDotNet.Attributes;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Tls;

namespace RtcClient.Benchmarks.Quic;

/// <summary>Protect + unprotect (header protection and AEAD, both ways) of a 1200-byte 1-RTT packet.</summary>
[MemoryDiagnoser]
public class PacketProtectionBenchmarks
{
    private readonly byte[] _packet = new byte[1200];
    private readonly byte[] _dcid = [1, 2, 3, 4, 5, 6, 7, 8];
    private PacketProtection _keys = null!;
    private long _packetNumber;

    /// <summary>The cipher suite under test.</summary>
    [Params(TlsCipherSuite.Aes128GcmSha256, TlsCipherSuite.Aes256GcmSha384, TlsCipherSuite.ChaCha20Poly1305Sha256)]
    public TlsCipherSuite Suite { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var secret = new byte[Suite == TlsCipherSuite.Aes256GcmSha384 ? 48 : 32];
        new Random(1).NextBytes(secret);
        _keys = PacketProtection.Create(Suite, secret);
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.Dispose();

    [Benchmark]
    public int ProtectAndUnprotect1200()
    {
        long pn = ++_packetNumber;
        int headerLength = PacketWriter.WriteShortHeader(_packet, _dcid, pn, 2, false, false);
        _keys.Protect(_packet, headerLength, pn);
        _keys.TryRemoveHeaderProtection(_packet, 1 + _dcid.Length, out _);
        _keys.TryDecrypt(_packet, headerLength, pn, out int payloadLength);
        return payloadLength;
    }
}
