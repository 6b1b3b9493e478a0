using BenchmarkDotNet.Attributes;
using RtcClient.SFrame;

namespace RtcClient.Benchmarks.SFrame;

/// <summary>
/// SFrame per media frame: a 20 ms audio frame (160 bytes, G.711 size) and a 30 kB video frame,
/// for the default GCM suite and the 80-bit AES-CTR/HMAC suite. Steady state must allocate 0 B.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SFrameBenchmarks : IDisposable
{
    private StaticSFrameKeyProvider _senderKeys = null!;
    private StaticSFrameKeyProvider _receiverKeys = null!;
    private SFrameSender _sender = null!;
    private SFrameReceiver _receiver = null!;
    private byte[] _frame = null!;
    private byte[] _wire = null!;
    private byte[] _decoded = null!;

    /// <summary>Cipher suite under test.</summary>
    [Params(SFrameCipherSuite.AES_128_GCM_SHA256_128, SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80)]
    public SFrameCipherSuite Suite { get; set; }

    /// <summary>Frame size in bytes: 20 ms audio, or a 30 kB video frame.</summary>
    [Params(160, 30_000)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var baseKey = new byte[16];
        Random.Shared.NextBytes(baseKey);
        _senderKeys = new StaticSFrameKeyProvider();
        _receiverKeys = new StaticSFrameKeyProvider();
        _senderKeys.SetSendKey(0x2a, baseKey);
        _receiverKeys.AddReceiveKey(0x2a, baseKey);
        _sender = new SFrameSender(_senderKeys, new SFrameSenderOptions { CipherSuite = Suite });
        _receiver = new SFrameReceiver(_receiverKeys, new SFrameReceiverOptions { CipherSuite = Suite });
        _frame = new byte[FrameSize];
        Random.Shared.NextBytes(_frame);
        _wire = new byte[_sender.GetMaxProtectedLength(FrameSize)];
        _decoded = new byte[FrameSize];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _senderKeys.Dispose();
        _receiverKeys.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Sender side only.</summary>
    [Benchmark]
    public int Encrypt()
    {
        _sender.Protect(_frame, default, _wire, out int written);
        return written;
    }

    /// <summary>One frame through sender and receiver (each frame has a fresh CTR, so no replay drops).</summary>
    [Benchmark]
    public int EncryptDecrypt()
    {
        _sender.Protect(_frame, default, _wire, out int written);
        var status = _receiver.Unprotect(_wire.AsSpan(0, written), default, _decoded, out int length);
        return status == SFrameStatus.Success ? length : throw new InvalidOperationException(status.ToString());
    }
}
