using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tls;

namespace RtcClient.Quic.Tests.Tls;

/// <summary>A fake QUIC connection around one TlsHandshake: records secrets and queues outgoing CRYPTO bytes.</summary>
internal sealed class TlsTestPeer : ITlsHandshakeHost
{
    public Queue<(EncryptionLevel Level, byte[] Data)> Outgoing { get; } = new();
    public Dictionary<EncryptionLevel, byte[]> ReadSecrets { get; } = [];
    public Dictionary<EncryptionLevel, byte[]> WriteSecrets { get; } = [];
    public List<string> Events { get; } = [];
    public TlsHandshake Handshake { get; set; } = null!;

    /// <summary>When set, WriteCryptoData throws it (a connection refusing the bytes).</summary>
    public Exception? FailWrites { get; set; }

    public void WriteCryptoData(EncryptionLevel level, ReadOnlySpan<byte> data)
    {
        if (FailWrites is not null) throw FailWrites;
        Outgoing.Enqueue((level, data.ToArray()));
        Events.Add($"data {level}");
    }

    public void SetReadSecret(EncryptionLevel level, TlsCipherSuite suite, ReadOnlySpan<byte> secret)
    {
        Assert.That(ReadSecrets.ContainsKey(level), Is.False, $"read secret for {level} installed twice");
        ReadSecrets[level] = secret.ToArray();
        Events.Add($"read {level}");
    }

    public void SetWriteSecret(EncryptionLevel level, TlsCipherSuite suite, ReadOnlySpan<byte> secret)
    {
        Assert.That(WriteSecrets.ContainsKey(level), Is.False, $"write secret for {level} installed twice");
        WriteSecrets[level] = secret.ToArray();
        Events.Add($"write {level}");
    }

    /// <summary>
    /// Moves queued bytes between the two peers until both are idle (bounded). With
    /// <paramref name="chunkSize"/> the bytes are delivered in pieces of that size.
    /// </summary>
    public static void Pump(TlsTestPeer client, TlsTestPeer server, int chunkSize = int.MaxValue)
    {
        for (int round = 0; round < 100; round++)
        {
            if (client.Outgoing.Count == 0 && server.Outgoing.Count == 0) return;
            Deliver(client, server, chunkSize);
            Deliver(server, client, chunkSize);
        }
        Assert.Fail("handshake did not settle in 100 rounds");
    }

    private static void Deliver(TlsTestPeer from, TlsTestPeer to, int chunkSize)
    {
        while (from.Outgoing.TryDequeue(out var item))
        {
            for (int offset = 0; offset < item.Data.Length; offset += chunkSize)
            {
                int n = Math.Min(chunkSize, item.Data.Length - offset);
                to.Handshake.ProcessCryptoData(item.Level, item.Data.AsSpan(offset, n));
            }
        }
    }
}
