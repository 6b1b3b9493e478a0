using BenchmarkDotNet.Attributes;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tls;

namespace RtcClient.Benchmarks.Quic;

/// <summary>Header protection alone (one mask computation and application) for each implementation path.</summary>
[MemoryDiagnoser]
public class HeaderProtectionBenchmarks
{
    private readonly byte[] _packet = new byte[64];
    private PacketProtection _keys = null!;

    /// <summary>AES via BouncyCastle's AES-NI engine, AES via the BCL (OpenSSL), or the managed ChaCha20 block function.</summary>
    [Params("Aes-NI", "Aes-BCL", "ChaCha20")]
    public string Path { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        bool saved = PacketProtection.UseAesNiHeaderProtection;
        PacketProtection.UseAesNiHeaderProtection = Path == "Aes-NI";
        _keys = PacketProtection.Create(Path == "ChaCha20" ? TlsCipherSuite.ChaCha20Poly1305Sha256 : TlsCipherSuite.Aes128GcmSha256, new byte[32]);
        PacketProtection.UseAesNiHeaderProtection = saved;
        new Random(2).NextBytes(_packet);
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.Dispose();

    [Benchmark]
    public int RemoveHeaderProtection()
    {
        _keys.TryRemoveHeaderProtection(_packet, 9, out int packetNumberLength);
        return packetNumberLength;
    }
}
