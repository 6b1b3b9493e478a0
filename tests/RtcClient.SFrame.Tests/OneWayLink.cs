using System.Security.Cryptography;

namespace RtcClient.SFrame.Tests;

/// <summary>A sender and a receiver with their own static key providers, sharing one base key per KID.</summary>
internal sealed class OneWayLink : IDisposable
{
    public OneWayLink(SFrameCipherSuite suite, ulong keyId = 1, int replayWindow = 128, int maxCachedKeys = 64)
    {
        Suite = suite;
        BaseKey = RandomNumberGenerator.GetBytes(16);
        SenderKeys.SetSendKey(keyId, BaseKey);
        ReceiverKeys.AddReceiveKey(keyId, BaseKey);
        Sender = new SFrameSender(SenderKeys, new SFrameSenderOptions { CipherSuite = suite });
        Receiver = new SFrameReceiver(ReceiverKeys, new SFrameReceiverOptions
        {
            CipherSuite = suite,
            ReplayWindowSize = replayWindow,
            MaxCachedKeys = maxCachedKeys,
        });
        Receiver.KeyMissing += (_, e) => MissingKeyEvents.Add(e);
        Receiver.AuthenticationFailed += (_, e) => AuthenticationFailedEvents.Add(e);
    }

    public SFrameCipherSuite Suite { get; }

    public byte[] BaseKey { get; }

    public StaticSFrameKeyProvider SenderKeys { get; } = new();

    public StaticSFrameKeyProvider ReceiverKeys { get; } = new();

    public SFrameSender Sender { get; }

    public SFrameReceiver Receiver { get; }

    public List<SFrameFrameEventArgs> MissingKeyEvents { get; } = [];

    public List<SFrameFrameEventArgs> AuthenticationFailedEvents { get; } = [];

    /// <summary>Protects a frame and asserts success.</summary>
    public byte[] Protect(byte[] frame, byte[]? metadata = null)
    {
        var output = new byte[Sender.GetMaxProtectedLength(frame.Length)];
        var status = Sender.Protect(frame, metadata, output, out int written);
        Assert.That(status, Is.EqualTo(SFrameStatus.Success));
        return output[..written];
    }

    /// <summary>Unprotects into a buffer pre-filled with 0xEE; returns status, output and the whole buffer.</summary>
    public (SFrameStatus Status, byte[] Frame, byte[] Buffer) Unprotect(byte[] protectedFrame, byte[]? metadata = null)
    {
        var buffer = new byte[Math.Max(1, protectedFrame.Length)];
        buffer.AsSpan().Fill(0xEE);
        var status = Receiver.Unprotect(protectedFrame, metadata, buffer, out int written);
        if (status != SFrameStatus.Success)
        {
            Assert.That(written, Is.Zero, "a dropped frame yields no bytes");
        }

        return (status, buffer[..written], buffer);
    }

    public void Dispose()
    {
        Sender.Dispose();
        Receiver.Dispose();
        SenderKeys.Dispose();
        ReceiverKeys.Dispose();
    }
}
