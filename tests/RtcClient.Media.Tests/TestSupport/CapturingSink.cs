using RtcClient.Media.Streams;

namespace RtcClient.Media.Tests.TestSupport;

/// <summary>A datagram sink that keeps copies of what was sent.</summary>
public sealed class CapturingSink(int maxDatagramSize = 1200) : IDatagramSink
{
    public List<byte[]> Datagrams { get; } = [];

    public int MaxDatagramSize { get; set; } = maxDatagramSize;

    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > MaxDatagramSize)
            return false;
        Datagrams.Add(datagram.ToArray());
        return true;
    }
}
